//! Redirections and file operands are file accesses (docs/policy.md, Commands 8):
//! `> f`, `>> f`, `&> f`, `tee f`, `--output=f` write, `< f` and `cat f`
//! read, `rm f` deletes. Each goes through the filesystem guard, resolved
//! against the directory the command would run in (`cd` is followed).
//!
//! Which operands of which tools are files is kept in one table
//! ([`FILE_TOOLS`]); operands of other tools are not treated as paths.

use super::normalize::{clip, Arg};
use super::rules::normalize_path;
use super::walk::{Analyzer, Cwd, Redir, Target};
use super::wrappers::{scan_dash_options, scan_options};
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};

use FileOperation::{CreateDir, Delete, List, Read, Write};

/// How a tool's operands are files.
struct FileTool {
    tools: &'static [&'static str],
    /// Options that take a value (skipped when finding operands).
    with_arg: &'static [&'static str],
    /// Leading operands that are not files (a pattern, a mode, an owner)…
    skip: usize,
    /// …unless one of these options supplies that operand instead.
    skip_unless: &'static [&'static str],
    /// What each file operand is.
    operands: FileOperation,
    /// What the last operand is, when it differs (a destination).
    last: Option<FileOperation>,
    /// Options whose value is a file, and what it is (each is also listed
    /// in `with_arg`, which the scan uses).
    option_files: &'static [(&'static str, FileOperation)],
    /// Options that turn the operands into writes (`sed -i`).
    write_if: &'static [&'static str],
    /// When not empty: every option the tool has that takes no value. Any
    /// other option-looking word may be the skipped operand itself (`chmod
    /// -x f` is the mode `-x`, as GNU chmod reads it), so then no operand
    /// is skipped and every word is judged as a file.
    flags: &'static [&'static [&'static str]],
    /// The operands' metadata changes, not their content (`chmod`): a file
    /// written earlier keeps the content the analysis knows.
    metadata: bool,
}

const fn reads(tools: &'static [&'static str], with_arg: &'static [&'static str]) -> FileTool {
    FileTool {
        tools,
        with_arg,
        skip: 0,
        skip_unless: &[],
        operands: Read,
        last: None,
        option_files: &[],
        write_if: &[],
        flags: &[],
        metadata: false,
    }
}

/// The flags GNU chmod, chown and chgrp share.
const CHANGE_FLAGS: &[&str] = &[
    "-c",
    "-f",
    "-v",
    "-R",
    "--changes",
    "--silent",
    "--quiet",
    "--verbose",
    "--recursive",
    "--preserve-root",
    "--no-preserve-root",
];

/// The file-operand table. `with_arg` lists only options known to take a
/// value: an option missing from it makes its value an operand, which is
/// checked as a path too (harmless), while a flag listed by mistake would
/// hide the operand after it.
static FILE_TOOLS: &[FileTool] = &[
    reads(
        &[
            "cat",
            "tac",
            "nl",
            "more",
            "less",
            "wc",
            "paste",
            "od",
            "xxd",
            "hexdump",
            "strings",
            "file",
            "stat",
            "md5sum",
            "sha1sum",
            "sha224sum",
            "sha256sum",
            "sha384sum",
            "sha512sum",
            "b2sum",
            "cksum",
            "sum",
            "diff",
            "cmp",
            "comm",
            "bat",
            "column",
            "fold",
            "fmt",
            "expand",
            "unexpand",
            "iconv",
            "base32",
            "base64",
            "source",
            ".",
            "readlink",
            // Whether each leading directory exists and may be searched.
            "pathchk",
        ],
        &[],
    ),
    // `--relative-to=DIR`, `--relative-base=DIR` resolve DIR as the
    // operands are resolved (its links, whether it exists).
    FileTool {
        option_files: &[("--relative-to", Read), ("--relative-base", Read)],
        ..reads(&["realpath"], &["--relative-to", "--relative-base"])
    },
    reads(&["head", "tail"], &["-n", "-c", "--lines", "--bytes"]),
    reads(
        &["cut"],
        &[
            "-b",
            "-c",
            "-d",
            "-f",
            "--bytes",
            "--characters",
            "--delimiter",
            "--fields",
        ],
    ),
    FileTool {
        option_files: &[("-o", Write), ("--output", Write)],
        ..reads(
            &["sort"],
            &[
                "-k",
                "-t",
                "-S",
                "-T",
                "-o",
                "--key",
                "--field-separator",
                "--buffer-size",
                "--temporary-directory",
                "--output",
            ],
        )
    },
    FileTool {
        skip: 1,
        skip_unless: &["-e", "-f", "--regexp", "--file"],
        option_files: &[("-f", Read), ("--file", Read)],
        ..reads(
            &["grep", "egrep", "fgrep", "zgrep"],
            &[
                "-e",
                "-f",
                "-m",
                "-A",
                "-B",
                "-C",
                "-d",
                "-D",
                "--regexp",
                "--file",
                "--max-count",
                "--context",
                "--after-context",
                "--before-context",
            ],
        )
    },
    FileTool {
        skip: 1,
        skip_unless: &["-e", "-f", "--regexp", "--file"],
        option_files: &[("-f", Read), ("--file", Read)],
        ..reads(
            &["rg"],
            &[
                "-e",
                "-f",
                "-m",
                "-A",
                "-B",
                "-C",
                "-g",
                "-t",
                "-T",
                "-r",
                "-M",
                "-j",
                "-E",
                "--regexp",
                "--file",
                "--max-count",
                "--glob",
                "--type",
                "--type-not",
                "--replace",
                "--context",
                "--after-context",
                "--before-context",
                "--max-columns",
                "--threads",
                "--encoding",
            ],
        )
    },
    FileTool {
        skip: 1,
        ..reads(&["ag", "ack"], &["-A", "-B", "-C", "-m"])
    },
    FileTool {
        skip: 1,
        skip_unless: &["-f", "--file"],
        option_files: &[("-f", Read)],
        ..reads(
            &["awk", "gawk", "mawk", "nawk"],
            &["-F", "-v", "-f", "--file", "--field-separator", "--assign"],
        )
    },
    FileTool {
        skip: 1,
        skip_unless: &["-e", "-f", "--expression", "--file"],
        write_if: &["-i", "--in-place"],
        option_files: &[("-f", Read)],
        ..reads(
            &["sed"],
            &["-e", "-f", "-l", "--expression", "--file", "--line-length"],
        )
    },
    FileTool {
        skip: 1,
        skip_unless: &["-f", "--from-file"],
        ..reads(&["jq", "yq"], &["-f", "--from-file", "--indent"])
    },
    FileTool {
        operands: List,
        ..reads(
            &["ls", "dir", "vdir", "exa", "eza", "lsd"],
            &[
                "-I",
                "--ignore",
                "-w",
                "--width",
                "-T",
                "--tabsize",
                "--hide",
                "--sort",
                "--time",
                "--format",
                "--block-size",
            ],
        )
    },
    FileTool {
        operands: List,
        option_files: &[("-o", Write)],
        ..reads(
            &["tree"],
            &[
                "-L",
                "-P",
                "-I",
                "-o",
                "-H",
                "--charset",
                "--filelimit",
                "--sort",
            ],
        )
    },
    FileTool {
        operands: List,
        ..reads(
            &["du"],
            &[
                "-d",
                "--max-depth",
                "-B",
                "--block-size",
                "-t",
                "--threshold",
                "--exclude",
                "-X",
                "--exclude-from",
            ],
        )
    },
    FileTool {
        operands: Write,
        ..reads(&["tee"], &[])
    },
    // `df F` stats F (and tells its file system and free space).
    reads(
        &["df"],
        &["-B", "--block-size", "-t", "--type", "-x", "--exclude-type"],
    ),
    FileTool {
        operands: Write,
        // `-r F` copies F's times: a stat of F, judged as `stat F`.
        option_files: &[("-r", Read), ("--reference", Read)],
        ..reads(&["touch"], &["-d", "-r", "-t", "--date", "--reference"])
    },
    FileTool {
        operands: Write,
        // `-r F` takes F's size: a stat of F, judged as `stat F`.
        option_files: &[("-r", Read), ("--reference", Read)],
        ..reads(&["truncate"], &["-s", "--size", "-r", "--reference"])
    },
    FileTool {
        operands: CreateDir,
        ..reads(&["mkdir"], &["-m", "--mode"])
    },
    FileTool {
        operands: Delete,
        ..reads(&["rm", "rmdir", "unlink", "srm"], &[])
    },
    // shred overwrites the file each operand leads to (through a link
    // too), and with -u then removes the name.
    FileTool {
        operands: Write,
        ..reads(
            &["shred"],
            &["-n", "-s", "--iterations", "--size", "--random-source"],
        )
    },
    FileTool {
        last: Some(Write),
        option_files: &[("-t", Write), ("--target-directory", Write)],
        ..reads(&["cp"], &["-t", "--target-directory", "-S", "--suffix"])
    },
    FileTool {
        last: Some(Write),
        option_files: &[("-t", Write), ("--target-directory", Write)],
        ..reads(
            &["install"],
            &[
                "-t",
                "--target-directory",
                "-S",
                "--suffix",
                "-m",
                "--mode",
                "-o",
                "--owner",
                "-g",
                "--group",
            ],
        )
    },
    FileTool {
        skip: 1,
        skip_unless: &["--reference"],
        operands: Write,
        flags: &[CHANGE_FLAGS],
        metadata: true,
        // `--reference=F` copies F's mode: a stat of F, in either spelling.
        option_files: &[("--reference", Read)],
        ..reads(&["chmod"], &["--reference"])
    },
    FileTool {
        skip: 1,
        skip_unless: &["--reference"],
        operands: Write,
        flags: &[
            CHANGE_FLAGS,
            &[
                "-h",
                "-H",
                "-L",
                "-P",
                "--dereference",
                "--no-dereference",
                "--from",
            ],
        ],
        metadata: true,
        option_files: &[("--reference", Read)],
        ..reads(&["chown", "chgrp"], &["--from", "--reference"])
    },
    FileTool {
        operands: Read,
        option_files: &[
            ("-o", Write),
            ("--output", Write),
            ("-T", Read),
            ("--upload-file", Read),
            ("-K", Read),
            ("--config", Read),
            ("-c", Write),
            ("--cookie-jar", Write),
            ("-D", Write),
            ("--dump-header", Write),
            ("--trace", Write),
            ("--trace-ascii", Write),
            ("--stderr", Write),
            ("--output-dir", Write),
        ],
        skip: usize::MAX,
        ..reads(
            &["curl"],
            &[
                "-o",
                "--output",
                "-T",
                "--upload-file",
                "-K",
                "--config",
                "-c",
                "--cookie-jar",
                "-D",
                "--dump-header",
                "--trace",
                "--trace-ascii",
                "--stderr",
                "-H",
                "--header",
                "-X",
                "--request",
                "-d",
                "--data",
                "--data-raw",
                "--data-binary",
                "--data-urlencode",
                "-u",
                "--user",
                "-A",
                "--user-agent",
                "-e",
                "--referer",
                "-x",
                "--proxy",
                "-m",
                "--max-time",
                "-b",
                "--cookie",
                "-F",
                "--form",
                "-w",
                "--write-out",
                "-r",
                "--range",
                "-E",
                "--cert",
                "--key",
                "--cacert",
                "--connect-timeout",
                "--retry",
                "--output-dir",
                "-z",
                "--time-cond",
                "-Y",
                "-y",
                "--resolve",
                "--interface",
            ],
        )
    },
    FileTool {
        operands: Read,
        option_files: &[
            ("-O", Write),
            ("--output-document", Write),
            ("-o", Write),
            ("--output-file", Write),
            ("-a", Write),
            ("--append-output", Write),
            ("-i", Read),
            ("--input-file", Read),
            ("-P", Write),
            ("--directory-prefix", Write),
        ],
        skip: usize::MAX,
        ..reads(
            &["wget"],
            &[
                "-O",
                "--output-document",
                "-o",
                "--output-file",
                "-a",
                "--append-output",
                "-i",
                "--input-file",
                "-P",
                "--directory-prefix",
                "-U",
                "--user-agent",
                "-t",
                "--tries",
                "-T",
                "--timeout",
                "--header",
                "-e",
                "--execute",
                "-l",
                "--level",
                "-A",
                "-R",
                "-D",
                "-B",
                "--base",
            ],
        )
    },
    FileTool {
        operands: Read,
        option_files: &[("-o", Write)],
        skip: usize::MAX,
        ..reads(
            &["gcc", "cc", "clang", "g++", "c++", "clang++", "rustc"],
            &[
                "-o",
                "-I",
                "-L",
                "-l",
                "-D",
                "-U",
                "-x",
                "-MF",
                "-include",
                "--target",
                "--edition",
                "--crate-type",
                "--crate-name",
                "--emit",
                "--out-dir",
            ],
        )
    },
    FileTool {
        option_files: &[("-o", Write), ("--output", Write)],
        skip: usize::MAX,
        ..reads(&["time"], &["-f", "--format", "-o", "--output"])
    },
    // `date -f FILE` prints each line it cannot parse.
    FileTool {
        option_files: &[
            ("-f", Read),
            ("--file", Read),
            ("-r", Read),
            ("--reference", Read),
        ],
        skip: usize::MAX,
        ..reads(
            &["date"],
            &[
                "-f",
                "--file",
                "-r",
                "--reference",
                "-d",
                "--date",
                "-I",
                "--iso-8601",
                "--rfc-3339",
            ],
        )
    },
    FileTool {
        option_files: &[
            ("-o", Write),
            ("--output", Write),
            ("--random-source", Read),
        ],
        ..reads(
            &["shuf"],
            &[
                "-o",
                "--output",
                "-n",
                "--head-count",
                "-i",
                "--input-range",
                "--random-source",
            ],
        )
    },
    // `uniq IN OUT`: the second operand is written.
    FileTool {
        last: Some(Write),
        ..reads(
            &["uniq"],
            &[
                "-f",
                "--skip-fields",
                "-s",
                "--skip-chars",
                "-w",
                "--check-chars",
            ],
        )
    },
    // `split IN PREFIX`: files named PREFIXaa, … are written.
    FileTool {
        last: Some(Write),
        ..reads(
            &["split", "csplit"],
            &[
                "-a",
                "--suffix-length",
                "-b",
                "--bytes",
                "-C",
                "--line-bytes",
                "-l",
                "--lines",
                "-n",
                "--number",
                "-t",
                "--separator",
                "--additional-suffix",
                "-f",
                "--prefix",
                "--filter",
            ],
        )
    },
    // Compressors replace each operand by its (de)compressed file.
    FileTool {
        operands: Write,
        ..reads(
            &[
                "gzip",
                "gunzip",
                "bzip2",
                "bunzip2",
                "xz",
                "unxz",
                "zstd",
                "unzstd",
                "lz4",
                "lzma",
                "unlzma",
                "compress",
                "uncompress",
            ],
            &[
                "-S",
                "--suffix",
                "-o",
                "--output",
                "-T",
                "--threads",
                "-b",
                "--block-size",
            ],
        )
    },
    FileTool {
        option_files: &[("-a", Read), ("--arg-file", Read)],
        skip: usize::MAX,
        ..reads(&["xargs"], super::wrappers::XARGS_VALUE_OPTIONS)
    },
];

/// Whether the file table reads this tool's operands.
pub(crate) fn is_file_tool(name: &str) -> bool {
    tool_of(name).is_some()
}

fn tool_of(name: &str) -> Option<&'static FileTool> {
    FILE_TOOLS.iter().find(|t| t.tools.contains(&name))
}

/// Devices a command may always use.
fn harmless_device(p: &str) -> bool {
    matches!(
        p,
        "/dev/null"
            | "/dev/zero"
            | "/dev/random"
            | "/dev/urandom"
            | "/dev/stdout"
            | "/dev/stderr"
            | "/dev/stdin"
            | "/dev/tty"
            | "-"
    ) || p
        .strip_prefix("/dev/fd/")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

impl Analyzer<'_> {
    /// Check the redirections of a command.
    pub(crate) fn check_redirects(&mut self, redirs: &[Redir], argv: &[Arg]) {
        for r in redirs {
            let Target::File(arg) = &r.target else {
                continue;
            };
            let ops: &[FileOperation] = match r.op {
                "<" => &[Read],
                "<>" => &[Read, Write],
                _ => &[Write],
            };
            for &op in ops {
                self.check_path(arg, op, None, argv, &format!("redirection {}", r.op));
            }
        }
    }

    /// Check the file operands of one command layer (`base` is its name).
    pub(crate) fn check_file_operands(&mut self, argv: &[Arg], base: &str) {
        // `--output=FILE` writes a file, whatever the tool.
        for a in argv.iter().skip(1) {
            if let Some(v) = a.lit() {
                for opt in [
                    "--output=",
                    "--output-file=",
                    "--outfile=",
                    "--output-document=",
                    "--log-file=",
                ] {
                    if let Some(path) = v.strip_prefix(opt) {
                        if !path.is_empty() {
                            let mut target = Arg::literal(path, a.span);
                            target.home = path.starts_with('~');
                            self.check_path(&target, Write, None, argv, opt.trim_end_matches('='));
                        }
                    }
                }
            }
        }
        match base {
            "dd" => return self.dd_files(argv),
            "find" => return self.find_files(argv),
            "mv" => return self.move_files(argv),
            "ln" => return self.link_files(argv),
            "git" => return self.git_dirs(argv),
            // `cp -l`/`-s` make second names as `ln` does; the copy's other
            // effects are judged below as well.
            "cp" => self.cp_link_files(argv),
            "type" | "which" | "command" => return self.lookup_files(argv, base),
            _ => {}
        }
        let Some(tool) = tool_of(base) else { return };
        let with_arg = tool.with_arg;
        // Options may follow operands (GNU permutes them): scan every word.
        let mut operands = Vec::new();
        let mut i = 1;
        let mut opts = Vec::new();
        while i < argv.len() {
            let scan = scan_dash_options(argv, i, with_arg);
            let ended = scan.first > i && argv[scan.first - 1].is("--");
            opts.extend(scan.opts);
            if scan.first >= argv.len() {
                break;
            }
            if ended {
                operands.extend(scan.first..argv.len());
                break;
            }
            operands.push(scan.first);
            i = scan.first + 1;
        }
        let has = |names: &[&str]| opts.iter().any(|(o, _, _)| names.contains(&o.as_str()));
        for (opt, idx, inline) in &opts {
            if let Some((_, op)) = tool.option_files.iter().find(|(o, _)| o == opt) {
                let target = match (idx, inline) {
                    (Some(i), _) => argv.get(*i).cloned(),
                    (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                    _ => None,
                };
                if let Some(t) = target {
                    self.check_path(&t, *op, None, argv, opt);
                    // bash leaves the `~` of `-o~/x` as written, and
                    // programs expand it themselves (wget's file options):
                    // the home reading is judged too.
                    if idx.is_none() && (t.text == "~" || t.text.starts_with("~/")) {
                        let mut home = t.clone();
                        home.home = true;
                        self.check_path(&home, *op, None, argv, opt);
                    }
                }
            }
        }
        let unknown_option = !tool.flags.is_empty()
            && opts.iter().any(|(o, _, _)| {
                let o = o.as_str();
                !tool.flags.iter().any(|f| f.contains(&o)) && !tool.skip_unless.contains(&o)
            });
        let skip = if has(tool.skip_unless) || unknown_option {
            0
        } else {
            tool.skip
        };
        let files: Vec<usize> = operands.into_iter().skip(skip).collect();
        let op = if has(tool.write_if) {
            Write
        } else {
            tool.operands
        };
        let known_writes = self.written.len();
        for (k, &i) in files.iter().enumerate() {
            let this = match tool.last {
                Some(last)
                    if k + 1 == files.len()
                        && files.len() > 1
                        && !has(&["-t", "--target-directory"]) =>
                {
                    last
                }
                _ => op,
            };
            self.check_path(&argv[i], this, None, argv, base);
        }
        if tool.metadata {
            self.written.truncate(known_writes);
        }
        // After the operands: a computed operand is judged as one first.
        if !tool.option_files.is_empty() {
            self.computed_file_options(argv, base, with_arg, true, |o| {
                tool.option_files.iter().any(|(n, _)| *n == o)
            });
        }
    }

    /// A word computed at run time whose literal start is an option that
    /// takes a file (`--file="$x"`, `-f$(…)`), or may be one (`--$x`, `-$x`):
    /// the scan reads it as an operand, since its text is not known, so the
    /// file it names is judged here, as a file nobody can name. With
    /// `whole_words` (`with_arg` lists every option that takes a value, so
    /// that values are told from options), a word wholly computed may be
    /// such an option too.
    pub(crate) fn computed_file_options(
        &mut self,
        argv: &[Arg],
        base: &str,
        with_arg: &[&str],
        whole_words: bool,
        names_file: impl Fn(&str) -> bool,
    ) {
        use super::options::{computed_option, takes_next, ComputedOption};
        let mut value_next = false;
        for a in argv.iter().skip(1) {
            if std::mem::take(&mut value_next) {
                // The value of the option before it, whatever its text.
                continue;
            }
            if a.is("--") {
                return;
            }
            if let Some(v) = a.lit() {
                value_next = takes_next(v, with_arg);
                continue;
            }
            // A word wholly computed (`"$x"`, `"$(…)"`) may be a whole
            // option (`--file=/x`): GNU tools read options anywhere.
            let whole = whole_words && a.prefix.is_empty() && !a.procsub && a.template.is_none();
            match computed_option(a, with_arg) {
                ComputedOption::NotOption if whole => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "{base}: the word {} is computed at run time and may be an option that names a file (write -- before operands)",
                            clip_path(&a.text)
                        ),
                        a.span,
                        argv,
                    );
                    return;
                }
                ComputedOption::NotOption => {}
                ComputedOption::Value(names) => {
                    if let Some(n) = names.iter().find(|n| names_file(n)) {
                        self.unmodelled(
                            DecisionCode::UnmodelledOperand,
                            format!(
                                "{base} {n}: the file {} names is computed at run time; which file it is is not known",
                                clip_path(&a.text)
                            ),
                            a.span,
                            argv,
                        );
                        return;
                    }
                }
                ComputedOption::Any => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "{base}: {} is an option computed at run time; it may be one that names a file",
                            clip_path(&a.text)
                        ),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        }
    }

    /// `type NAME`, `which NAME`, `command -v NAME`: a name holding `/` is
    /// not looked up on PATH but stat(2)ed where it is (they tell whether
    /// it exists and is executable), judged as `stat NAME` is; a computed
    /// name may hold one.
    fn lookup_files(&mut self, argv: &[Arg], base: &str) {
        let scan = scan_dash_options(argv, 1, &[]);
        if base == "command"
            && !scan.opts.iter().any(|(o, _, _)| {
                o.starts_with('-') && !o.starts_with("--") && o.contains(['v', 'V'])
            })
        {
            // `command NAME …` runs NAME: judged as the command it runs.
            return;
        }
        for a in &argv[scan.first.min(argv.len())..] {
            if a.lit().is_none_or(|v| v.contains('/')) {
                self.check_path(a, Read, None, argv, base);
            }
        }
    }

    /// `git -C DIR`, `--git-dir`, `--work-tree`: git reads the configuration
    /// (and runs the hooks) of that repository.
    fn git_dirs(&mut self, argv: &[Arg]) {
        let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        // `git mv SRC… DEST` renames like `mv` (git refuses no destination
        // inside a git directory, and `-f` replaces an existing one): each
        // source is judged as renamed to DEST (or into it, a directory).
        if let Some((srcs, dest)) = super::moved_links::git_mv_operands(argv, scan.first) {
            for src in srcs {
                self.check_path(src, FileOperation::Rename, Some(dest), argv, "git mv");
            }
        }
        self.note_git_moved_links(argv, scan.first);
        self.check_made_git_dir_use(argv);
        if let Some(k) = argv[1..scan.first.min(argv.len())]
            .iter()
            .position(|a| a.is("--bare"))
        {
            // `--bare` is `--git-dir=.`: the working directory's config
            // and hooks are git's, plain files of the workspace.
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                "git --bare: git takes the working directory for its git directory, whose configuration and hooks are not a .git directory the analysis knows".to_string(),
                argv[k + 1].span,
                argv,
            );
        }
        for (opt, idx, inline) in &scan.opts {
            if !matches!(opt.as_str(), "-C" | "--git-dir" | "--work-tree") {
                continue;
            }
            let target = match (idx, inline) {
                (Some(i), _) => argv.get(*i).cloned(),
                (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                _ => None,
            };
            if opt == "-C" {
                // The analysis already runs in that directory.
                let here = Arg::literal(".", argv[0].span);
                self.check_path(&here, Read, None, argv, "git -C");
                continue;
            }
            if let Some(t) = target {
                // A directory not called `.git` may be one the command made
                // (HEAD, objects, refs and a config that runs programs).
                let named_git = t
                    .lit()
                    .is_some_and(|v| super::rules::basename(v.trim_end_matches('/')) == ".git");
                if opt == "--git-dir" && !named_git {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "git --git-dir {}: git reads the configuration and runs the hooks of that directory, which is not a .git directory the analysis knows",
                            clip_path(&t.shown())
                        ),
                        t.span,
                        argv,
                    );
                }
                self.check_path(&t, Read, None, argv, &format!("git {opt}"));
            }
        }
    }

    /// Files a downloader writes: `-o`/`--output`/`-O`/`--output-document`
    /// values and a redirection of its standard output.
    pub(crate) fn note_downloads(&mut self, argv: &[Arg], base: &str, redirects: &[Redir]) {
        let outputs: &[&str] = match base {
            "curl" => &["-o", "--output"],
            "wget" | "wget2" => &["-O", "--output-document"],
            "aria2c" => &["-o", "--out"],
            _ => &["-o", "--output", "-O", "--output-document"],
        };
        let mut written: Vec<Arg> = option_values(argv, outputs);
        for r in redirects {
            if let Target::File(a) = &r.target {
                if matches!(r.op, ">" | ">>" | ">|" | "&>" | "&>>") && r.fd.unwrap_or(1) == 1 {
                    written.push(a.clone());
                }
            }
        }
        for w in written {
            if let Some(p) = w
                .lit()
                .filter(|v| *v != "-")
                .and_then(|v| self.resolve(v, w.home))
            {
                let p = normalize_path(&p);
                self.note_written(p.clone(), None);
                self.note_downloaded(p);
            }
        }
    }

    /// Remember a file written by the command (bounded).
    pub(crate) fn note_written(&mut self, path: String, content: Option<String>) {
        // A file in the workspace is remembered under both its names, so
        // that `curl -T a file:///WS/x.sh && sh x.sh` finds it.
        if self.written.len() < 1024 {
            // The write reaches the file the links on the way lead to
            // (`> mklink` with `mklink -> Makefile` writes the Makefile),
            // and an existing file by its identity, whatever its other
            // names (hard links).
            let host = self.fs.host_path_of(&path);
            if let Some(real) = host.as_deref().and_then(|h| self.reached_name(h)) {
                if let Some(o) = self.other_name(&real) {
                    self.written.push((o, content.clone()));
                }
                self.written.push((real, content.clone()));
            }
            if let Some(id) = host.as_deref().and_then(file_identity) {
                if !self.written_ids.contains(&id) {
                    self.written_ids.push(id);
                }
            }
            if let Some(o) = self.other_name(&path) {
                self.written.push((o, content.clone()));
            }
            // The other names of a hard link the command made.
            for n in self.hard_link_names(&path, false) {
                if let Some(o) = self.other_name(&n) {
                    self.written.push((o, content.clone()));
                }
                self.written.push((n, content.clone()));
            }
            self.written.push((path, content));
        }
    }

    /// The file a write of `host` reaches when links on the way lead
    /// elsewhere: its real path (of a file that does not exist yet, the
    /// real directory and the name the last link leads to).
    fn reached_name(&self, host: &std::path::Path) -> Option<String> {
        let mut at = host.to_path_buf();
        for _ in 0..40 {
            if let Some(real) = self.canonical(&at) {
                return (real != host).then(|| real.to_str().map(str::to_string))?;
            }
            match std::fs::read_link(&at) {
                Ok(t) => at = at.parent().map_or(t.clone(), |d| d.join(&t)),
                Err(_) => break,
            }
        }
        let real = self.canonical(at.parent()?)?.join(at.file_name()?);
        (real != host).then(|| real.to_str().map(str::to_string))?
    }

    /// Whether `path` (resolved, without a trailing slash) is a symbolic
    /// link on disk that leads to a directory.
    pub(crate) fn dir_link(&self, path: &str) -> bool {
        !path.ends_with('/')
            && self.fs.host_path_of(path).is_some_and(|h| {
                std::fs::symlink_metadata(&h).is_ok_and(|m| m.file_type().is_symlink())
                    && std::fs::metadata(&h).is_ok_and(|m| m.is_dir())
            })
    }

    /// Whether `path` (resolved) is a file the command wrote earlier: by a
    /// name it wrote, a prefix of computed names, or, for a file that
    /// exists, by its identity (a hard link, a link to it).
    pub(crate) fn written_path(&self, path: &str) -> bool {
        let p = normalize_path(path);
        self.written_by_prefix(&p).is_some()
            || self.written.iter().any(|(w, _)| *w == p)
            || self.written_identity(&p)
    }

    /// Whether the existing file `path` names is one the command wrote
    /// earlier under any name.
    pub(crate) fn written_identity(&self, path: &str) -> bool {
        !self.written_ids.is_empty()
            && self
                .fs
                .host_path_of(path)
                .as_deref()
                .and_then(file_identity)
                .is_some_and(|id| self.written_ids.contains(&id))
    }

    /// The other name of a workspace file: relative for an absolute one,
    /// absolute for a relative one (both are keys of what was written).
    pub(crate) fn other_name(&self, path: &str) -> Option<String> {
        let ws = self.fs.host_path_of(".")?;
        let ws = ws.to_str()?.trim_end_matches('/');
        let o = if let Some(rel) = path.strip_prefix(ws).and_then(|r| r.strip_prefix('/')) {
            normalize_path(rel)
        } else if !path.starts_with(['/', '~']) && !ws.is_empty() {
            normalize_path(&format!("{ws}/{path}"))
        } else {
            return None;
        };
        (!o.is_empty() && o != path).then_some(o)
    }

    /// A downloaded file, under both its names.
    pub(crate) fn note_downloaded(&mut self, path: String) {
        if let Some(o) = self.other_name(&path) {
            self.downloaded.push(o);
        }
        self.downloaded.push(path);
    }

    /// Remember that the command writes files named PREFIX followed by
    /// names it computes (`split`, `csplit`), under both names.
    pub(crate) fn note_written_prefix(&mut self, prefix: String) {
        if self.written_prefixes.len() < 64 {
            if let Some(o) = self.other_name(&prefix) {
                self.written_prefixes.push(o);
            }
            self.written_prefixes.push(prefix);
        }
    }

    /// The prefix written earlier that `path` (normalized) is one of the
    /// names of: the rest is a non-empty name in the same directory.
    pub(crate) fn written_by_prefix(&self, path: &str) -> Option<&String> {
        self.written_prefixes.iter().find(|w| {
            path.strip_prefix(w.as_str())
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        })
    }

    /// Whether a word names a file written earlier in the command: whether
    /// a downloader wrote it, and its content when known.
    pub(crate) fn was_written(&self, a: &Arg) -> Option<(bool, Option<String>)> {
        let p = normalize_path(&a.lit().and_then(|v| self.resolve(v, a.home))?);
        if self.written_by_prefix(&p).is_some() {
            return Some((false, None));
        }
        let Some((_, content)) = self.written.iter().rev().find(|(w, _)| *w == p) else {
            return self.written_identity(&p).then_some((false, None));
        };
        Some((self.downloaded.contains(&p), content.clone()))
    }

    /// Record what a command writes to its standard output redirections when
    /// the content is known.
    pub(crate) fn note_output(&mut self, redirects: &[Redir], content: Option<String>) {
        for r in redirects {
            let Target::File(a) = &r.target else { continue };
            if !matches!(r.op, ">" | ">|" | ">>") || r.fd.unwrap_or(1) != 1 {
                continue;
            }
            let Some(p) = a.lit().and_then(|v| self.resolve(v, a.home)) else {
                continue;
            };
            let p = normalize_path(&p);
            let previous = self
                .written
                .iter()
                .rev()
                .skip(1)
                .find(|(w, _)| *w == p)
                .map(|(_, c)| c.clone());
            let content = match (r.op, &content, previous) {
                (">>", Some(c), Some(Some(before))) => Some(format!("{before}{c}")),
                (">>", _, Some(None)) | (">>", None, _) => None,
                (_, c, _) => c.clone(),
            };
            self.note_written(p, content);
        }
    }

    fn dd_files(&mut self, argv: &[Arg]) {
        for a in argv.iter().skip(1) {
            // `of=~/f`: computed as a word (bash expands the `~`), a
            // path in the home for dd.
            let home_operand = a.lit().is_none() && dd_home_operand(&a.text);
            let Some(v) = a.lit().or(home_operand.then_some(a.text.as_str())) else {
                continue;
            };
            let (path, op) = if let Some(p) = v.strip_prefix("of=") {
                (p, Write)
            } else if let Some(p) = v.strip_prefix("if=") {
                (p, Read)
            } else {
                continue;
            };
            let mut target = Arg::literal(path, a.span);
            // bash expands `~` after `NAME=`: `of=~/.bashrc` is in the home.
            target.home = path == "~" || path.starts_with("~/");
            self.check_path(&target, op, None, argv, "dd");
        }
        // `of=$F`, `if=$(…)`: a computed operand.
        for a in argv.iter().skip(1) {
            if a.lit().is_none()
                && !dd_home_operand(&a.text)
                && (a.text.starts_with("of=") || a.text.starts_with("if=") || !a.text.contains('='))
            {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "dd: the operand {} is computed at run time",
                        clip_path(&a.text)
                    ),
                    a.span,
                    argv,
                );
            }
        }
    }

    fn find_files(&mut self, argv: &[Arg]) {
        let (_, roots, i) = super::trees::find_start_points(argv);
        let deletes = argv[i..].iter().any(|a| a.is("-delete"));
        if deletes && super::wrappers::find_model(argv).is_none() {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                "find -delete: which files are deleted is not modelled (one literal root and a -name test that no protected name matches are)".to_string(),
                super::dangers::command_span(argv),
                argv,
            );
        }
        let root_args: Vec<Arg> = if roots.is_empty() {
            vec![Arg::literal(".", argv[0].span)]
        } else {
            roots.iter().map(|&r| argv[r].clone()).collect()
        };
        for r in &root_args {
            self.check_path(r, if deletes { Write } else { List }, None, argv, "find");
        }
        if deletes {
            // What -delete removes: the blocked entries below the root
            // that pass the -name tests.
            if let Some(root) = super::wrappers::find_model(argv) {
                let walk = super::trees::Walk {
                    skips_hidden: false,
                    max_depth: super::trees::find_max_depth(argv),
                    names: super::trees::find_names(argv),
                    git_dirs: true,
                };
                self.check_tree(&root, Delete, &walk, argv, "find -delete");
            }
        }
        let mut j = i;
        while j < argv.len() {
            if let Some(opt @ ("-fprint" | "-fprint0" | "-fprintf" | "-fls")) = argv[j].lit() {
                if let Some(t) = argv.get(j + 1) {
                    self.check_path(t, Write, None, argv, opt);
                }
            }
            // Tests that stat(2) a reference file: its times (`-newer F`,
            // `-anewer`, `-cnewer`, `-newerXY F` unless Y is `t`, a date) or
            // its inode (`-samefile F`), read as `stat F` reads them.
            if let Some(opt) = argv[j].lit().filter(|o| find_reference_test(o)) {
                if let Some(t) = argv.get(j + 1) {
                    self.check_path(t, FileOperation::Read, None, argv, opt);
                }
            }
            j += 1;
        }
    }

    fn move_files(&mut self, argv: &[Arg]) {
        // Options may follow operands (GNU permutes them): every word is read.
        let w = super::moved_links::copy_words(argv, "mv");
        let mut ops: Vec<&Arg> = w.operands.iter().collect();
        let dest = match &w.target {
            Some(d) => d.clone(),
            None => match ops.pop() {
                Some(d) if !ops.is_empty() => d.clone(),
                _ => return,
            },
        };
        let to_dir = w.target.is_some();
        let to_name = w.no_target;
        // Without `-T`, a destination that is a link to a directory is
        // followed: SRC lands in the directory it leads to, as
        // LINK/basename(SRC) (with `-T` the link itself is replaced).
        let into_link = !to_dir
            && !to_name
            && !w.exchange
            && dest
                .lit()
                .and_then(|v| self.resolve(v, dest.home))
                .is_some_and(|p| self.dir_link(&p));
        for src in &ops {
            let into = match (into_link, dest.lit(), src.lit()) {
                (true, Some(d), Some(s)) => {
                    let name = super::rules::basename(s.trim_end_matches('/'));
                    let mut a = Arg::literal(&format!("{d}/{name}"), dest.span);
                    a.home = dest.home;
                    Some(a)
                }
                (true, Some(d), None) => {
                    let mut a = Arg::literal(&format!("{d}/"), dest.span);
                    a.home = dest.home;
                    Some(a)
                }
                _ => None,
            };
            let to = into.as_ref().unwrap_or(&dest);
            self.check_path(src, FileOperation::Rename, Some(to), argv, "mv");
        }
        if w.exchange {
            // `mv --exchange A B` swaps the two entries: B is renamed to A
            // as well, and what B was (a link) is then named A.
            for src in &ops {
                self.check_path(
                    &dest,
                    FileOperation::Rename,
                    Some(src),
                    argv,
                    "mv --exchange",
                );
            }
            self.note_exchanged_links(&ops, &dest);
        }
        self.note_moved_links(&ops, &dest, to_dir, to_name);
    }

    fn link_files(&mut self, argv: &[Arg]) {
        let scan = scan_options(argv, 1, &["-t", "--target-directory", "-S", "--suffix"]);
        let symbolic = scan.has(&["-s", "--symbolic"]);
        let op = if symbolic {
            FileOperation::Symlink
        } else {
            FileOperation::Link
        };
        let ops = &argv[scan.first..];
        // `ln -t DIR TARGET…`: every operand is a target, linked into DIR.
        if let Some(dir) = scan.value(argv, &["-t", "--target-directory"]) {
            for t in ops {
                match (dir.lit(), t.lit()) {
                    (Some(d), Some(v)) => {
                        let name = super::rules::basename(v);
                        let mut link = Arg::literal(&format!("{d}/{name}"), dir.span);
                        link.home = dir.home;
                        self.check_path(&link, op, Some(t), argv, "ln");
                    }
                    _ => self.check_path(&dir, op, Some(t), argv, "ln"),
                }
            }
            self.note_links(ops, Some(&dir));
            return;
        }
        self.link_files_in(argv, op, ops);
        match ops {
            [_] => self.note_links(ops, None),
            [targets @ .., dir] if !targets.is_empty() => self.note_links(targets, Some(dir)),
            _ => {}
        }
    }

    /// `cp -l`/`--link` makes hard links and `cp -s`/`--symbolic-link`
    /// symbolic links instead of copies: each source (with `-r`/`-a`, each
    /// entry below it) gets a second name, judged by the same link rules as
    /// `ln` (a link to `.git/config`, a hook, a start-up file or a blocked
    /// entry is refused).
    fn cp_link_files(&mut self, argv: &[Arg]) {
        let with_arg = &["-t", "--target-directory", "-S", "--suffix"];
        // Options may follow operands (GNU permutes them): scan every word.
        let mut opts = Vec::new();
        let mut operands: Vec<Arg> = Vec::new();
        let mut i = 1;
        while i < argv.len() {
            let scan = scan_dash_options(argv, i, with_arg);
            let ended = scan.first > i && argv[scan.first - 1].is("--");
            opts.push(scan);
            let first = opts.last().map_or(argv.len(), |s| s.first);
            if first >= argv.len() {
                break;
            }
            if ended {
                operands.extend(argv[first..].iter().cloned());
                break;
            }
            operands.push(argv[first].clone());
            i = first + 1;
        }
        let has = |names: &[&str]| opts.iter().any(|s| s.has(names));
        let op = if has(&["-s", "--symbolic-link"]) {
            FileOperation::Symlink
        } else if has(&["-l", "--link"]) {
            FileOperation::Link
        } else {
            return;
        };
        let via = if op == FileOperation::Symlink {
            "cp -s"
        } else {
            "cp -l"
        };
        let recursive = has(&["-r", "-R", "-a", "--recursive", "--archive"]);
        let dir = opts
            .iter()
            .rev()
            .find_map(|s| s.value(argv, &["-t", "--target-directory"]));
        let into_dir = dir.is_some();
        let (sources, dest): (Vec<Arg>, Arg) = match dir {
            Some(d) => (operands, d),
            None => match operands.split_last() {
                Some((d, s)) if !s.is_empty() => (s.to_vec(), d.clone()),
                _ => return,
            },
        };
        for src in &sources {
            // `cp -s` makes relative links only in the working directory:
            // the link leads to the source as the command names it.
            let absolute = match (op, src.lit()) {
                (FileOperation::Symlink, Some(v)) => self
                    .resolve(v, src.home)
                    .and_then(|p| self.fs.host_path_of(&p))
                    .and_then(|h| h.to_str().map(|t| Arg::literal(t, src.span))),
                _ => None,
            };
            self.check_path(&dest, op, Some(absolute.as_ref().unwrap_or(src)), argv, via);
            if recursive {
                self.cp_link_tree(src, &dest, op, argv, via);
            }
            // The names made: DEST itself, or the source's name in DEST
            // when DEST is a directory (perhaps made earlier in the
            // command): both are counted. With `-r` each stands for the
            // tree below it.
            let source = src.lit().and_then(|v| self.resolve(v, src.home));
            // With `-r` a directory's files are linked (a source not known
            // to be a file may be one).
            let tree = recursive
                && !source
                    .as_deref()
                    .and_then(|p| self.fs.host_path_of(p))
                    .is_some_and(|h| std::fs::metadata(h).is_ok_and(|m| m.is_file()));
            let dest_path = dest.lit().and_then(|v| self.resolve(v, dest.home));
            let mut names: Vec<Option<String>> = Vec::new();
            if let Some(v) = src.lit() {
                let name = super::rules::basename(v.trim_end_matches('/'));
                names.push(
                    dest_path
                        .as_ref()
                        .map(|d| format!("{}/{name}", d.trim_end_matches('/'))),
                );
            } else {
                names.push(None);
            }
            if !into_dir && sources.len() == 1 {
                names.push(dest_path.clone());
            }
            for n in names {
                if op == FileOperation::Link {
                    self.note_hard_link(n.as_deref(), source.as_deref(), tree);
                } else {
                    // A symbolic link: a path through it is not judged,
                    // as one `ln -s` made (from the next command on: the
                    // copy's own write of the name is the link).
                    let made = n.map(|n| normalize_path(&n)).unwrap_or_default();
                    self.shell.pending_links.push(made);
                }
            }
        }
        // The copy's own write of the destination is judged as cp's: the
        // link leads only where the judgement above allowed.
    }

    /// `cp -rl SRC DEST`: every entry below SRC gets a second name below
    /// DEST; each is judged as a link to that entry. A tree too large to
    /// walk is not modelled.
    fn cp_link_tree(&mut self, src: &Arg, dest: &Arg, op: FileOperation, argv: &[Arg], via: &str) {
        let Some(v) = src.lit() else { return };
        let Some(path) = self.resolve(v, src.home) else {
            return;
        };
        let Some(host) = self.fs.host_path_of(&path) else {
            return;
        };
        if !std::fs::symlink_metadata(&host).is_ok_and(|m| m.is_dir()) {
            return;
        }
        let mut budget = super::fsglob::MAX_ENTRIES.saturating_sub(self.shell.fs_entries);
        let mut found: Vec<std::path::PathBuf> = Vec::new();
        let mut stack = vec![host.clone()];
        let mut complete = true;
        'walk: while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                if budget == 0 {
                    complete = false;
                    break 'walk;
                }
                budget -= 1;
                self.shell.fs_entries += 1;
                let p = e.path();
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(p);
                } else {
                    found.push(p);
                }
            }
        }
        if !complete {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{via}: the tree below {} is too large to judge every link it makes; name smaller directories",
                    clip(v)
                ),
                src.span,
                argv,
            );
            return;
        }
        for f in found {
            let Some(text) = f.to_str() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("{via}: a name below {} is not UTF-8", clip(v)),
                    src.span,
                    argv,
                );
                return;
            };
            let target = Arg::literal(text, src.span);
            self.check_path(dest, op, Some(&target), argv, via);
        }
    }

    fn link_files_in(&mut self, argv: &[Arg], op: FileOperation, ops: &[Arg]) {
        match ops {
            [target] => {
                let name = target.lit().map(|t| super::rules::basename(t).to_string());
                let link = match name {
                    Some(n) if !n.is_empty() => Arg::literal(&n, target.span),
                    _ => Arg::dynamic(&target.text, target.span),
                };
                self.check_path(&link, op, Some(target), argv, "ln");
            }
            [targets @ .., dir] if !targets.is_empty() => {
                if targets.len() == 1 {
                    self.check_path(dir, op, Some(&targets[0]), argv, "ln");
                } else {
                    for t in targets {
                        self.check_path(dir, op, Some(t), argv, "ln");
                    }
                }
            }
            _ => {}
        }
    }

    /// Send one path through the filesystem guard (for the program models).
    pub(crate) fn check_path_pub(&mut self, arg: &Arg, op: FileOperation, argv: &[Arg], via: &str) {
        self.check_path(arg, op, None, argv, via);
    }

    /// Send one path through the filesystem guard.
    fn check_path(
        &mut self,
        arg: &Arg,
        op: FileOperation,
        other: Option<&Arg>,
        argv: &[Arg],
        via: &str,
    ) {
        if arg.procsub {
            return;
        }
        // A pattern stands for every path it expands to now.
        match self.glob_matches(arg) {
            Some(Ok(paths)) => {
                // A destination computed at run time is judged with the
                // word itself, below; each match is then judged as the
                // name the rename removes.
                let (op, other) = match other {
                    Some(o) if o.lit().is_none() && matches!(op, FileOperation::Rename) => {
                        (FileOperation::Delete, None)
                    }
                    _ => (op, other),
                };
                // A pattern that matches nothing when the command runs
                // (none now, or its match removed earlier in the line) stays
                // the word itself, and that name is opened: `[h]/.bashrc`
                // through a link named `[h]`. The literal name is judged
                // too, links on its way resolved like any path's.
                let literal = super::fsglob::unmatched_word(arg.glob.as_deref().unwrap_or(""));
                for p in paths
                    .iter()
                    .chain((!paths.contains(&literal)).then_some(&literal))
                {
                    if p.is_empty() {
                        continue;
                    }
                    let mut m = Arg::literal(p, arg.span);
                    m.home = arg.home;
                    self.check_path(&m, op, other, argv, via);
                }
            }
            Some(Err(why)) => self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("{via}: {why}"),
                arg.span,
                argv,
            ),
            None => {}
        }
        let verb = op.as_str();
        let Some(value) = arg.lit() else {
            self.check_dynamic_path(arg, op, argv, via);
            return;
        };
        if value.is_empty() || harmless_device(value) {
            return;
        }
        let Some(mut path) = self.resolve(value, arg.home) else {
            self.check_dynamic_path(arg, op, argv, via);
            return;
        };
        // A copy, install or link onto a link to a directory writes into
        // the directory it leads to (`cp x homelink` writes
        // `homelink/x`): judged as a write there.
        if matches!(
            op,
            Write | FileOperation::Create | FileOperation::Link | FileOperation::Symlink
        ) && self.dir_link(&path)
        {
            path.push('/');
        }
        if self.through_new_link(&path, arg, argv, via)
            || self.check_spellings(&path, op, arg, argv, via)
        {
            return;
        }
        let other_path = other.and_then(|o| o.lit().and_then(|v| self.resolve(v, o.home)));
        // A rename writes its destination through the links on the way
        // there, like any other writer: one the command made, moved or may
        // have checked out (`git worktree add w REV && mv x w/lnk/f`).
        if let (FileOperation::Rename, Some(o), Some(dest)) = (op, other, &other_path) {
            if self.through_new_link(dest, o, argv, via) {
                return;
            }
        }
        if other.is_some() && other_path.is_none() && matches!(op, FileOperation::Rename) {
            self.finding(
                Verdict::Ask,
                DecisionCode::FileAccessDenied,
                format!(
                    "{via}: the destination of {} is computed at run time",
                    clip_path(&path)
                ),
                arg.span,
                argv,
                None,
            );
            return;
        }
        if matches!(op, Write | FileOperation::Create) {
            self.note_written(normalize_path(&path), None);
            self.write_hard_link_names(&path, op, arg, argv, via);
        }
        if let (FileOperation::Rename, Some(dest)) = (op, &other_path) {
            self.rename_hard_link(&path, dest);
        }
        if let (FileOperation::Rename | FileOperation::Link | FileOperation::Symlink, Some(dest)) =
            (op, &other_path)
        {
            let written = if matches!(op, FileOperation::Rename) {
                dest
            } else {
                &path
            };
            self.note_written(normalize_path(written), None);
        }
        if op.modifies() && self.in_made_git_dir(&path, op, arg, argv, via) {
            return;
        }
        // Judged first as a write to a git directory made before it.
        if matches!(
            op,
            Write
                | FileOperation::Create
                | CreateDir
                | FileOperation::Link
                | FileOperation::Symlink
        ) {
            self.note_git_dir_entry(&path, arg.span, argv);
        }
        if let (FileOperation::Rename, Some(dest)) = (op, &other_path) {
            self.note_git_dir_entry(dest, arg.span, argv);
        }
        let req = FileRequest {
            path: &path,
            operation: op,
            other: other_path.as_deref(),
            size: None,
        };
        let d = self.fs_check(&req);
        if !d.is_allowed() {
            self.finding(
                Verdict::Deny,
                DecisionCode::FileAccessDenied,
                format!(
                    "{via}: {verb} of {} refused by the filesystem policy ({}: {})",
                    clip_path(&path),
                    d.code,
                    d.reason
                ),
                arg.span,
                argv,
                d.rule.clone(),
            );
        }
    }

    /// A path with a part computed at run time: check its literal directory
    /// (a glob stays below it); a write, create or delete of an unknown
    /// target asks.
    fn check_dynamic_path(&mut self, arg: &Arg, op: FileOperation, argv: &[Arg], via: &str) {
        if let Some(walk) = &arg.found {
            // find's `{}`: every path below the root that passes the
            // -name tests, hidden names and blocked entries included.
            let root = arg.prefix.trim_end_matches('/');
            let mut r = Arg::literal(if root.is_empty() { "/" } else { root }, arg.span);
            r.home = arg.home;
            self.check_tree(&r, op, walk, argv, via);
        }
        let glob_only = arg.pattern.is_some() || lists_working_dir(&arg.text);
        // A glob is judged for every protected name it could match.
        if let Some(full) = arg
            .pattern
            .as_deref()
            .and_then(|p| self.resolve(p, arg.home))
        {
            if self.through_new_link(&full, arg, argv, via)
                || self.check_spellings(&full, op, arg, argv, via)
            {
                return;
            }
        }
        let dir = match arg.prefix.rfind('/') {
            Some(i) => &arg.prefix[..=i],
            None => "",
        };
        let dir_path = if dir.is_empty() {
            if glob_only {
                self.resolve(".", false)
            } else {
                None
            }
        } else {
            self.resolve(dir, arg.home)
        };
        if let Some(d) = &dir_path {
            // Changing entries inside a directory writes the directory.
            let dir_op = match op {
                Read | List => op,
                _ => Write,
            };
            let check_as = if dir_op == List {
                List
            } else if dir_op == Read {
                Read
            } else {
                Write
            };
            let req = FileRequest::new(d, check_as);
            let decision = self.fs.check(&req);
            if !decision.is_allowed() {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::FileAccessDenied,
                    format!(
                        "{via}: {} under {} refused by the filesystem policy ({}: {})",
                        op.as_str(),
                        clip_path(d),
                        decision.code,
                        decision.reason
                    ),
                    arg.span,
                    argv,
                    decision.rule.clone(),
                );
                return;
            }
            if glob_only {
                return;
            }
        }
        if matches!(op, Read | List) {
            // A value computed at run time can be any path (`$f`, `$PWD/..`,
            // `${HOME%/}/.ssh`, `~user`): only a glob stays below its
            // literal directory.
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{via}: the {} operand {} is computed at run time; which file it names is not known",
                    op.as_str(),
                    clip_path(&arg.text)
                ),
                arg.span,
                argv,
            );
            return;
        }
        {
            self.finding(
                Verdict::Ask,
                DecisionCode::FileAccessDenied,
                format!("{via}: the target of the {} ({}) is computed at run time and cannot be checked", op.as_str(), arg.text),
                arg.span,
                argv,
                None,
            );
        }
    }

    /// A path as the filesystem guard should see it, given the working
    /// directory; `None` when the directory is not known.
    pub(crate) fn resolve(&self, p: &str, home: bool) -> Option<String> {
        if p.starts_with('/') || (home && (p == "~" || p.starts_with("~/"))) {
            return Some(p.to_string());
        }
        // A literal `~` that was quoted is a file named `~`.
        let p = if !home && p.starts_with('~') {
            format!("./{p}")
        } else {
            p.to_string()
        };
        match &self.cwd {
            Cwd::Workspace => Some(p),
            Cwd::Unknown => None,
            Cwd::Dir(d) => {
                let joined = format!("{d}/{p}");
                // bash keeps the logical directory after `cd LINK`, but the
                // kernel resolves `..` in a relative path from where the
                // link leads: a `..` that cancels a link is not the
                // directory the text shows.
                if p.split('/').any(|c| c == "..") && self.cancels_a_link(&joined) {
                    return None;
                }
                if let Some(rest) = joined.strip_prefix("~/") {
                    let n = normalize_path(rest);
                    if n.starts_with("..") {
                        None
                    } else {
                        Some(format!("~/{n}"))
                    }
                } else {
                    // Keep a trailing slash: it resolves a final link.
                    let n = normalize_path(&joined);
                    Some(if p.ends_with('/') && !n.ends_with('/') {
                        format!("{n}/")
                    } else {
                        n
                    })
                }
            }
        }
    }

    /// Remember a git directory the command makes under another name than
    /// `.git`.
    pub(crate) fn note_git_dir(&mut self, d: &Arg, whole: bool, argv: &[Arg]) {
        let dir = d
            .lit()
            .and_then(|v| self.resolve(v, d.home))
            .map(|p| normalize_path(&p))
            .unwrap_or_default();
        self.check_prewritten_git_dir(&dir, whole, d.span, argv);
        self.shell.git_dirs.push(dir);
    }

    /// A change below a git directory the command made, to what git reads
    /// as configuration or runs (the entries the filesystem guard protects
    /// in `.git`, and, except to delete it or move it away, the state of
    /// operations in progress that git runs from later).
    fn in_made_git_dir(
        &mut self,
        path: &str,
        op: FileOperation,
        arg: &Arg,
        argv: &[Arg],
        via: &str,
    ) -> bool {
        let p = normalize_path(path);
        let state: &[&str] = if matches!(op, FileOperation::Delete | FileOperation::Rename) {
            &[]
        } else {
            crate::guards::filesystem::GIT_DIR_RUN_STATE
        };
        let hit = self.shell.git_dirs.iter().find_map(|g| {
            let rest = if g.is_empty() {
                p.clone()
            } else {
                self.below_dir(g, &p)?
            };
            crate::guards::filesystem::GIT_DIR_INDIRECTIONS
                .iter()
                .chain(state)
                .find(|e| rest == **e || rest.starts_with(&format!("{e}/")))
                .map(|e| format!("{g}/{e}"))
        });
        let Some(location) = hit else { return false };
        self.finding(
            Verdict::Deny,
            DecisionCode::ProtectedPath,
            format!(
                "{via}: {} is protected (the command makes a git directory there; git reads its configuration and runs its hooks)",
                clip_path(&location)
            ),
            arg.span,
            argv,
            None,
        );
        true
    }

    /// Follow a `cd` (or `pushd`) for the commands after it.
    /// Whitelist mode allows `cd` without a rule only into a directory the
    /// filesystem policy lets the command list (the workspace, an allowed
    /// path): the target is checked as a listing; a computed one is not
    /// modelled.
    pub(crate) fn check_cd_target(&mut self, argv: &[Arg]) {
        self.check_cd_target_as(argv, List);
    }

    /// `cd DIR`, `pushd DIR` in every mode: changing to a directory tells
    /// whether it exists and may be searched, and `cd -P`, `pushd` and
    /// `dirs` print where it leads; judged as `stat DIR` is (a read of the
    /// entry's metadata).
    pub(crate) fn check_cd_metadata(&mut self, argv: &[Arg]) {
        // `pushd +N`/`-N` rotates the stack: no directory is named.
        let scan = scan_options(argv, 1, &[]);
        if argv
            .get(scan.first)
            .and_then(|a| a.lit())
            .is_some_and(|v| v.starts_with('+') || v == "-")
        {
            return;
        }
        let Some(target) = argv.get(scan.first) else {
            // `cd` alone goes home; `pushd` alone swaps the top two.
            return;
        };
        // Outside the workspace only what the policy blocks is refused: the
        // commands after the `cd` are judged where it leads.
        if let Some(p) = target.lit().and_then(|v| self.resolve(v, target.home)) {
            let d = self.fs.check(&FileRequest::new(&p, Read));
            if d.is_allowed() || d.code == DecisionCode::OutsideWorkspace {
                return;
            }
        }
        self.check_cd_target_as(argv, Read);
    }

    fn check_cd_target_as(&mut self, argv: &[Arg], op: FileOperation) {
        let scan = scan_options(argv, 1, &[]);
        let target = match argv.get(scan.first) {
            Some(a) => a.clone(),
            None => {
                let mut home = Arg::literal("~", argv[0].span);
                home.home = true;
                home
            }
        };
        self.check_path(&target, op, None, argv, "cd");
    }

    /// `git -C DIR…`: git changes to each DIR in turn (a relative one is
    /// relative to the one before; an empty one changes nothing) before it
    /// reads its options' files and operands. Moves the analysis's working
    /// directory there and returns the one to restore after the command.
    pub(crate) fn git_chdir(&mut self, argv: &[Arg]) -> Option<Cwd> {
        let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        let saved = self.cwd.clone();
        let mut moved = false;
        for (opt, idx, inline) in &scan.opts {
            if opt != "-C" {
                continue;
            }
            let target = match (idx, inline) {
                (Some(i), _) => argv.get(*i).cloned(),
                (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                _ => None,
            };
            moved = true;
            self.cwd = match target.as_ref().map(|a| (a.lit(), a.home)) {
                Some((Some(""), _)) => continue,
                Some((Some(v), home)) => match self.resolve(v, home) {
                    Some(p) if p == "." => Cwd::Workspace,
                    Some(p) => Cwd::Dir(p),
                    None => Cwd::Unknown,
                },
                _ => Cwd::Unknown,
            };
        }
        moved.then_some(saved)
    }

    pub(crate) fn change_dir(&mut self, argv: &[Arg]) {
        let pushd = argv[0]
            .lit()
            .is_some_and(|n| n.rsplit('/').next() == Some("pushd"));
        if pushd && !self.pushd_changes_dir(argv) {
            return;
        }
        let scan = scan_options(argv, 1, &[]);
        let target = argv.get(scan.first);
        // Several operands: bash's `cd` fails with "too many arguments"
        // (older versions take the first); not modelled.
        if argv.len() > scan.first + 1 {
            self.cwd = Cwd::Unknown;
            return;
        }
        // Logically `a/..` is the directory holding `a`; when `a` is a link
        // and the logical path does not exist, bash retries the path
        // physically and lands below the link's target's parent instead.
        if let Some(v) = target.and_then(|a| a.lit().map(|v| (v, a.home))) {
            if self.cd_cancels_a_link(v.0, v.1) {
                self.cwd = Cwd::Unknown;
                return;
            }
        }
        // `-P` resolves links: `cd -P link/..` is the parent of the link's
        // target, and later `..` steps follow the physical directory.
        let physical = scan
            .opts
            .iter()
            .any(|(o, _, _)| o.starts_with('-') && !o.starts_with("--") && o.contains('P'));
        if physical {
            self.cwd = Cwd::Unknown;
            return;
        }
        self.cwd = match target {
            None => Cwd::Dir("~".to_string()),
            Some(a) => match a.lit() {
                Some("-") => Cwd::Unknown,
                Some(v) => match self.resolve(v, a.home) {
                    Some(p) if p == "." => Cwd::Workspace,
                    Some(p) => Cwd::Dir(p),
                    None => Cwd::Unknown,
                },
                None => Cwd::Unknown,
            },
        };
    }
}

impl Analyzer<'_> {
    /// Whether `pushd`'s words change the directory as `cd` would (one
    /// operand, no option). `-n` only adds to the stack: the directory
    /// stays. `+N`/`-N` rotate the stack and no operand swaps its top two:
    /// the directory becomes unknown.
    fn pushd_changes_dir(&mut self, argv: &[Arg]) -> bool {
        let mut keep = false;
        let mut operands = 0usize;
        let mut options_end = false;
        for a in &argv[1..] {
            match a.lit() {
                Some("--") if !options_end => options_end = true,
                Some("-n") if !options_end => keep = true,
                Some(v) if v.len() > 1 && (v.starts_with('+') || v.starts_with('-')) => {
                    self.cwd = Cwd::Unknown;
                    return false;
                }
                _ => operands += 1,
            }
        }
        if operands != 1 {
            self.cwd = Cwd::Unknown;
            return false;
        }
        !keep
    }

    /// Whether a `..` of the path `cd` takes (the operand joined to the
    /// working directory) removes a component that is a link, or whose
    /// kind cannot be checked.
    fn cd_cancels_a_link(&self, v: &str, home: bool) -> bool {
        let joined = if v.starts_with('/') || (home && (v == "~" || v.starts_with("~/"))) {
            v.to_string()
        } else {
            match &self.cwd {
                Cwd::Workspace => v.to_string(),
                Cwd::Dir(d) => format!("{d}/{v}"),
                Cwd::Unknown => return false,
            }
        };
        self.cancels_a_link(&joined)
    }

    /// Whether a `..` of a path removes a component that is a link (on
    /// disk, or made by the command), or whose kind cannot be checked.
    fn cancels_a_link(&self, joined: &str) -> bool {
        let mut parts: Vec<&str> = Vec::new();
        for c in joined.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    if parts.last().is_some_and(|l| *l != "..") {
                        let mut at = parts.join("/");
                        if joined.starts_with('/') {
                            at.insert(0, '/');
                        }
                        let made = normalize_path(&at);
                        if self.shell.links.iter().any(|l| l.is_empty() || *l == made) {
                            return true;
                        }
                        match self.fs.host_path_of(&at) {
                            Some(host) => {
                                if std::fs::symlink_metadata(&host)
                                    .is_ok_and(|m| m.file_type().is_symlink())
                                {
                                    return true;
                                }
                            }
                            None => return true,
                        }
                        parts.pop();
                    } else {
                        parts.push("..");
                    }
                }
                other => parts.push(other),
            }
        }
        false
    }
}

/// `of=~/f`, `if=~`: a dd operand naming a path in the home, written
/// plainly (no quote or expansion after the `~/`).
fn dd_home_operand(text: &str) -> bool {
    let Some(p) = text.strip_prefix("of=").or(text.strip_prefix("if=")) else {
        return false;
    };
    (p == "~" || p.starts_with("~/"))
        && p[1..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-' | b'+'))
}

/// The values of the options `wanted` anywhere in an argv (GNU tools accept
/// options after operands; `-qO file`, `-Ofile`, `--output=file`).
fn option_values(argv: &[Arg], wanted: &[&'static str]) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let scan = scan_options(argv, i, wanted);
        for (opt, idx, inline) in &scan.opts {
            if !wanted.contains(&opt.as_str()) {
                continue;
            }
            match (idx, inline) {
                (Some(k), _) => out.extend(argv.get(*k).cloned()),
                (None, Some(v)) => {
                    let mut a = Arg::literal(v, argv[0].span);
                    a.home = v.starts_with("~/");
                    out.push(a);
                }
                _ => {}
            }
        }
        if scan.first >= argv.len() || (scan.first > i && argv[scan.first - 1].is("--")) {
            break;
        }
        i = scan.first + 1;
    }
    out
}

/// `$(ls)` (and `ls` with options that only order or format the list):
/// every word it yields is the name of an entry of the working directory,
/// or a piece of one, without `/` and never `..` — like the glob `*`.
fn lists_working_dir(text: &str) -> bool {
    let t = text.trim_matches('"');
    let Some(inner) = t
        .strip_prefix("$(")
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| t.strip_prefix('`').and_then(|r| r.strip_suffix('`')))
    else {
        return false;
    };
    let mut words = inner.split_whitespace();
    words.next() == Some("ls")
        && words.all(|w| {
            w.len() > 1
                && w.starts_with('-')
                && w[1..].chars().all(|c| "1tSrhXUvcuF".contains(c))
                && !w.contains('F')
        })
}

fn clip_path(p: &str) -> String {
    super::normalize::clip(p)
}

/// The `find` tests whose value is a file it stats: `-newer`, `-anewer`,
/// `-cnewer`, `-samefile` and `-newerXY` (X, Y among `a B c m`; a `t` for Y
/// takes a date instead).
fn find_reference_test(opt: &str) -> bool {
    matches!(opt, "-newer" | "-anewer" | "-cnewer" | "-samefile")
        || opt.strip_prefix("-newer").is_some_and(|xy| {
            let b = xy.as_bytes();
            b.len() == 2 && b"aBcmt".contains(&b[0]) && b"aBcm".contains(&b[1])
        })
}

/// The identity (device, inode) of an existing regular file, following
/// links: two names of one file have the same.
#[cfg(unix)]
pub(crate) fn file_identity(host: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(host).ok()?;
    m.is_file().then(|| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub(crate) fn file_identity(_host: &std::path::Path) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::FILE_TOOLS;

    /// The operand scan reads only `with_arg`: an option whose value is a
    /// file must be there too, or its value would be taken for an operand.
    #[test]
    fn every_file_option_takes_a_value() {
        for tool in FILE_TOOLS {
            for (opt, _) in tool.option_files {
                assert!(
                    tool.with_arg.contains(opt),
                    "{:?}: {opt} is in option_files but not in with_arg",
                    tool.tools
                );
            }
        }
    }
}
