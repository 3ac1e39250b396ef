//! Tools that walk directory trees (`grep -r`, `rg`, `cp -r`, `tar c`,
//! `diff -r`, `rsync -a`, `zip -r`, `ls -R`, `find`, `git add .`, `git
//! stash -u`, `git grep --untracked`, `python3 -m http.server`, …) read or
//! list every entry below the directories they are given, not only the
//! directory named. A check of the directory alone would let them reach
//! what the policy blocks inside it (`grep -r SECRET .` prints `.env`), so
//! each blocked entry (a plain `blocked_paths` entry, a match of a glob
//! entry, a built-in credential store) that exists below a walked root is
//! judged as read (or listed) by the tool, under the same filesystem
//! checks as a file named on the command line (docs/commands.md, Trees).
//!
//! A tree is walked as the tool walks it: tools that skip hidden names
//! whatever the tree holds (`tree` without `-a`, `ls -R` without `-a`)
//! do not reach an entry whose path below the root has a hidden name; a
//! listing reads the names inside the directories only, so a blocked file
//! counts for it only when it is a directory; `find -maxdepth N` stops at
//! depth N; the files `find … -name PAT -exec CMD {}` hands to CMD are the
//! blocked entries whose name matches PAT, and anything inside a blocked
//! directory.

use std::path::{Path, PathBuf};

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::wrappers::{scan_dash_options, scan_options};
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{self, List, Read};

/// How a tool walks a tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Walk {
    /// Entries with a hidden name (and everything below them) are skipped.
    pub skips_hidden: bool,
    /// `find -maxdepth N`: no entry deeper than N (the root is depth 0).
    pub max_depth: Option<usize>,
    /// `find -name`/`-iname` tests the found path must all pass
    /// (`(pattern, case folded)`); empty: every entry.
    pub names: Vec<(String, bool)>,
    /// The walk changes what it reaches (a recursive mode or owner change,
    /// `find -delete`, `find -exec CMD {}`): the protected entries of every
    /// git directory below (its configuration, hooks, the directory itself)
    /// count as well as the blocked ones.
    pub git_dirs: bool,
}

/// One directory a tool walks, and as what.
pub(crate) struct Tree {
    pub root: Arg,
    pub op: FileOperation,
    pub walk: Walk,
}

/// At most this many entries are walked to find the matches of glob
/// entries of `blocked_paths` (shared with the expansion of globs).
const MAX_WALK: usize = super::fsglob::MAX_ENTRIES;

/// An option as scanned: its name, the index of its value word, or its
/// attached value.
type OptWord = (String, Option<usize>, Option<String>);
type Opts = [OptWord];

/// The option words and the operand positions of `argv` from `from`, GNU
/// style: options may follow operands; `--` ends them.
fn permuted(argv: &[Arg], from: usize, with_arg: &[&'static str]) -> (Vec<OptWord>, Vec<usize>) {
    let mut operands = Vec::new();
    let mut opts = Vec::new();
    let mut i = from;
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
    (opts, operands)
}

fn has(opts: &Opts, names: &[&str]) -> bool {
    opts.iter().any(|(o, _, _)| names.contains(&o.as_str()))
}

/// The values an option was given (in its own word or attached).
fn values(argv: &[Arg], opts: &Opts, names: &[&str]) -> Vec<Arg> {
    opts.iter()
        .filter(|(o, _, _)| names.contains(&o.as_str()))
        .filter_map(|(_, idx, inline)| match (idx, inline) {
            (Some(i), _) => argv.get(*i).cloned(),
            (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
            _ => None,
        })
        .collect()
}

fn here(argv: &[Arg]) -> Arg {
    Arg::literal(".", argv[0].span)
}

fn trees_of(roots: Vec<Arg>, op: FileOperation, walk: Walk) -> Vec<Tree> {
    roots
        .into_iter()
        .map(|root| Tree {
            root,
            op,
            walk: walk.clone(),
        })
        .collect()
}

/// `host:path` or `user@host:path`: a remote operand of rsync or scp.
fn remote(a: &Arg) -> bool {
    a.lit().is_some_and(|v| {
        !v.starts_with('/')
            && !v.starts_with('.')
            && v.find(':').is_some_and(|c| !v[..c].contains('/'))
    })
}

const GREP_VALUES: &[&str] = &[
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
    "--directories",
    "--devices",
    "--include",
    "--exclude",
    "--exclude-dir",
    "--exclude-from",
    "--label",
    "--binary-files",
    "--color",
    "--colour",
];

const RG_VALUES: &[&str] = &[
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
    "-d",
    "--regexp",
    "--file",
    "--max-count",
    "--glob",
    "--iglob",
    "--type",
    "--type-not",
    "--type-add",
    "--replace",
    "--context",
    "--after-context",
    "--before-context",
    "--max-columns",
    "--threads",
    "--encoding",
    "--max-depth",
    "--ignore-file",
    "--sort",
    "--sortr",
    "--colors",
    "--color",
    "--path-separator",
    "--max-filesize",
    "--dfa-size-limit",
    "--regex-size-limit",
    "--context-separator",
    "--field-match-separator",
    "--field-context-separator",
];

const DIFF_VALUES: &[&str] = &[
    "-x",
    "-X",
    "-I",
    "-F",
    "-L",
    "-S",
    "-C",
    "-U",
    "-W",
    "-D",
    "--exclude",
    "--exclude-from",
    "--ignore-matching-lines",
    "--show-function-line",
    "--label",
    "--starting-file",
    "--from-file",
    "--to-file",
    "--ifdef",
    "--width",
    "--tabsize",
    "--horizon-lines",
    "--color",
    "--palette",
];

const RSYNC_VALUES: &[&str] = &[
    "-B",
    "-e",
    "-f",
    "-M",
    "-T",
    "-@",
    "--rsh",
    "--filter",
    "--exclude",
    "--include",
    "--exclude-from",
    "--include-from",
    "--files-from",
    "--temp-dir",
    "--compare-dest",
    "--copy-dest",
    "--link-dest",
    "--partial-dir",
    "--backup-dir",
    "--suffix",
    "--chmod",
    "--chown",
    "--usermap",
    "--groupmap",
    "--timeout",
    "--contimeout",
    "--port",
    "--sockopts",
    "--out-format",
    "--log-file",
    "--log-file-format",
    "--password-file",
    "--bwlimit",
    "--max-size",
    "--min-size",
    "--max-delete",
    "--modify-window",
    "--block-size",
    "--checksum-choice",
    "--compress-choice",
    "--compress-level",
    "--skip-compress",
    "--protocol",
    "--iconv",
    "--address",
    "--outbuf",
    "--stop-after",
    "--stop-at",
    "--info",
    "--debug",
    "--remote-option",
    "--rsync-path",
    "--write-batch",
    "--only-write-batch",
    "--read-batch",
    "--checksum-seed",
    "--max-alloc",
];

const CP_VALUES: &[&str] = &["-t", "--target-directory", "-S", "--suffix"];

const LS_VALUES: &[&str] = &[
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
];

const DU_VALUES: &[&str] = &[
    "-d",
    "--max-depth",
    "-B",
    "--block-size",
    "-t",
    "--threshold",
    "--exclude",
    "-X",
    "--exclude-from",
];

const TREE_VALUES: &[&str] = &[
    "-L",
    "-P",
    "-I",
    "-o",
    "-H",
    "--charset",
    "--filelimit",
    "--sort",
];

const ZIP_VALUES: &[&str] = &["-b", "-n", "-t", "-tt", "-O", "--out", "-P", "--password"];

/// Options of `git add` and `git stash` with a value (a missing one would
/// take its value for a pathspec, and hide the whole tree the command walks).
const GIT_ADD_VALUES: &[&str] = &["--chmod", "--pathspec-from-file"];
const GIT_STASH_VALUES: &[&str] = &["-m", "--message", "--pathspec-from-file"];

/// Options of `git grep` and `git diff` with a value.
const GIT_GREP_VALUES: &[&str] = &[
    "-e",
    "-f",
    "-A",
    "-B",
    "-C",
    "-m",
    "--max-depth",
    "--threads",
    "--max-count",
    "--context",
    "--after-context",
    "--before-context",
];

/// The trees the command walks: `None` for a tool that walks none (or is
/// modelled elsewhere: `tar` in its own model, `find -exec` at `{}`).
pub(crate) fn trees(argv: &[Arg], base: &str) -> Vec<Tree> {
    let all = Walk::default();
    let no_hidden = Walk {
        skips_hidden: true,
        ..Walk::default()
    };
    match base {
        "grep" | "egrep" | "fgrep" | "rgrep" => {
            let (opts, operands) = permuted(argv, 1, GREP_VALUES);
            let recurse = base == "rgrep"
                || has(
                    &opts,
                    &["-r", "-R", "--recursive", "--dereference-recursive"],
                )
                || values(argv, &opts, &["-d", "--directories"])
                    .iter()
                    .any(|v| {
                        v.lit()
                            .is_none_or(|v| "recurse".starts_with(v) && !v.is_empty())
                    });
            if !recurse {
                return Vec::new();
            }
            let skip = usize::from(!has(&opts, &["-e", "-f", "--regexp", "--file"]));
            let mut roots: Vec<Arg> = operands
                .iter()
                .skip(skip)
                .map(|&i| argv[i].clone())
                .collect();
            if roots.is_empty() {
                roots.push(here(argv));
            }
            trees_of(roots, Read, all)
        }
        "rg" | "ag" | "ack" | "ack-grep" => {
            // rg and ag skip hidden names by default, but a `!.env` line in
            // any ignore file of the tree (or a `-g` glob) brings one back:
            // hidden names count for them too.
            let (opts, operands) = permuted(argv, 1, RG_VALUES);
            let skip = usize::from(!has(&opts, &["-e", "-f", "--regexp", "--file", "--files"]));
            let mut roots: Vec<Arg> = operands
                .iter()
                .skip(skip)
                .map(|&i| argv[i].clone())
                .collect();
            if roots.is_empty() {
                roots.push(here(argv));
            }
            trees_of(roots, Read, all)
        }
        "cp" => {
            let (opts, operands) = permuted(argv, 1, CP_VALUES);
            if !has(&opts, &["-r", "-R", "-a", "--recursive", "--archive"]) {
                return Vec::new();
            }
            let target_option = has(&opts, &["-t", "--target-directory"]);
            let n = if target_option || operands.len() < 2 {
                operands.len()
            } else {
                operands.len() - 1
            };
            let roots = operands[..n].iter().map(|&i| argv[i].clone()).collect();
            trees_of(roots, Read, all)
        }
        "rsync" | "scp" => {
            let (opts, operands) = permuted(argv, 1, RSYNC_VALUES);
            let recurse = if base == "scp" {
                has(&opts, &["-r"])
            } else {
                has(
                    &opts,
                    &["-r", "-a", "-d", "--recursive", "--archive", "--dirs"],
                )
            };
            if !recurse {
                return Vec::new();
            }
            let n = if operands.len() < 2 {
                operands.len()
            } else {
                operands.len() - 1
            };
            let roots: Vec<Arg> = operands[..n]
                .iter()
                .map(|&i| argv[i].clone())
                .filter(|a| !remote(a))
                .collect();
            let mut out = Vec::new();
            if base == "rsync" && operands.len() >= 2 {
                let deletes = |o: &OptWord| o.0 == "--del" || o.0.starts_with("--dele");
                let removes = |o: &OptWord| o.0.starts_with("--remove");
                // `--delete…` (`--del`, `--delete-after`, …) deletes every
                // entry of the destination the sources lack: its whole
                // tree, git directories and blocked entries included.
                // `--remove-source-files` deletes what it sent.
                let changing = Walk {
                    git_dirs: true,
                    ..Walk::default()
                };
                if opts.iter().any(deletes) {
                    let dest = argv[operands[operands.len() - 1]].clone();
                    if !remote(&dest) {
                        out.extend(trees_of(
                            vec![dest],
                            FileOperation::Delete,
                            changing.clone(),
                        ));
                    }
                }
                if opts.iter().any(removes) {
                    out.extend(trees_of(roots.clone(), FileOperation::Delete, changing));
                }
            }
            out.extend(trees_of(roots, Read, all));
            out
        }
        "diff" => {
            // Given a directory, diff compares every same-named file at its
            // top level (`diff FILE DIR` reads DIR/FILE's name), and with
            // `-N`/`--unidirectional-new-file` prints whole the files only
            // one side has: a directory operand is a read of its entries,
            // one level deep, and with `-r` of its whole tree. (Long options
            // arrive spelled out: `--rec` is `--recursive`.)
            let (opts, operands) = permuted(argv, 1, DIFF_VALUES);
            let mut roots: Vec<Arg> = operands.iter().map(|&i| argv[i].clone()).collect();
            roots.extend(values(argv, &opts, &["--from-file", "--to-file"]));
            let walk = if has(&opts, &["-r", "--recursive"]) {
                all
            } else {
                Walk {
                    max_depth: Some(1),
                    ..all
                }
            };
            trees_of(roots, Read, walk)
        }
        "zip" => {
            let (opts, operands) = permuted(argv, 1, ZIP_VALUES);
            if has(&opts, &["-R", "--recurse-patterns"]) {
                return trees_of(vec![here(argv)], Read, all);
            }
            if !has(&opts, &["-r", "--recurse-paths"]) {
                return Vec::new();
            }
            let roots = operands.iter().skip(1).map(|&i| argv[i].clone()).collect();
            trees_of(roots, Read, all)
        }
        "ls" | "dir" | "vdir" | "exa" | "eza" | "lsd" => {
            let (opts, operands) = permuted(argv, 1, LS_VALUES);
            let tree = matches!(base, "exa" | "eza" | "lsd") && has(&opts, &["-T", "--tree"]);
            if !tree && !has(&opts, &["-R", "--recursive"]) {
                return Vec::new();
            }
            // GNU ls -f implies -a.
            let hidden = has(&opts, &["-a", "-A", "-f", "--all", "--almost-all"]);
            let mut roots: Vec<Arg> = operands.iter().map(|&i| argv[i].clone()).collect();
            if roots.is_empty() {
                roots.push(here(argv));
            }
            trees_of(roots, List, if hidden { all } else { no_hidden })
        }
        "tree" | "du" => {
            let values = if base == "du" { DU_VALUES } else { TREE_VALUES };
            let (opts, operands) = permuted(argv, 1, values);
            let hidden = base == "du" || has(&opts, &["-a"]);
            let mut roots: Vec<Arg> = operands.iter().map(|&i| argv[i].clone()).collect();
            if roots.is_empty() {
                roots.push(here(argv));
            }
            trees_of(roots, List, if hidden { all } else { no_hidden })
        }
        "chmod" | "chown" | "chgrp" => {
            let values: &[&'static str] = if base == "chmod" { &[] } else { &["--from"] };
            let (opts, operands) = permuted(argv, 1, values);
            if !has(&opts, &["-R", "--recursive"]) {
                return Vec::new();
            }
            // The mode or owner comes first unless --reference names it, or
            // (chmod) an option word is the mode: GNU chmod takes a word
            // starting with `-` and a mode letter (`-w`, `-x,o+w`, `-rwx`)
            // as the mode, so every operand is a file.
            let skip = usize::from(
                !(opts
                    .iter()
                    .any(|(o, _, _)| o == "--reference" || o.starts_with("--reference="))
                    || (base == "chmod" && chmod_mode_option(argv))),
            );
            let roots = operands
                .iter()
                .skip(skip)
                .map(|&i| argv[i].clone())
                .collect();
            let walk = Walk {
                git_dirs: true,
                ..Walk::default()
            };
            trees_of(roots, FileOperation::Write, walk)
        }
        "jar" => jar_trees(argv),
        "find" => find_trees(argv),
        "git" => git_trees(argv),
        b if b.starts_with("python")
            && argv
                .windows(2)
                .any(|w| w[0].is("-m") && w[1].is("http.server")) =>
        {
            let dir = argv
                .iter()
                .position(|a| a.is("-d") || a.is("--directory"))
                .and_then(|i| argv.get(i + 1).cloned())
                .or_else(|| {
                    argv.iter()
                        .filter_map(|a| a.lit()?.strip_prefix("--directory="))
                        .next_back()
                        .map(|v| Arg::literal(v, argv[0].span))
                });
            trees_of(vec![dir.unwrap_or_else(|| here(argv))], Read, all)
        }
        "php" if argv.iter().any(|a| a.is("-S")) => {
            let dir = argv
                .iter()
                .position(|a| a.is("-t"))
                .and_then(|i| argv.get(i + 1).cloned());
            trees_of(vec![dir.unwrap_or_else(|| here(argv))], Read, all)
        }
        _ => Vec::new(),
    }
}

/// Whether a word of a chmod command before `--` starting with one `-` is
/// not a cluster of chmod's flags (`-c`, `-f`, `-v`, `-R`): GNU chmod then
/// reads it as the mode (`-w`, `-x,o+w`, `-rwx,u+rwx`), and the operands
/// are all files.
fn chmod_mode_option(argv: &[Arg]) -> bool {
    argv.iter()
        .skip(1)
        .take_while(|a| !a.is("--"))
        .filter_map(Arg::lit)
        .any(|v| {
            v.len() > 1
                && v.starts_with('-')
                && !v.starts_with("--")
                && !v[1..].chars().all(|c| "cfvR".contains(c))
        })
}

/// `jar c…`/`u…` (`--create`, `--update`): every word after the mode that
/// is not an option is read, a directory with all below it; a name after
/// `-C DIR` is taken in `DIR`. (The archive and manifest names are read as
/// files too, which finds nothing below them.)
fn jar_trees(argv: &[Arg]) -> Vec<Tree> {
    let Some(mode) = argv.get(1).and_then(Arg::lit) else {
        return Vec::new();
    };
    let creates = if let Some(long) = mode.strip_prefix("--") {
        long.starts_with("create") || long.starts_with("update")
    } else {
        mode.trim_start_matches('-').contains(['c', 'u'])
    };
    if !creates {
        return Vec::new();
    }
    let mut roots = Vec::new();
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        match a.lit() {
            Some("-C") => {
                let dir = argv.get(i).and_then(Arg::lit).map(str::to_string);
                if let Some(d) = argv.get(i) {
                    roots.push(d.clone());
                }
                i += 1;
                if let (Some(d), Some(n)) = (&dir, argv.get(i).and_then(Arg::lit)) {
                    let mut j = Arg::literal(&format!("{}/{n}", d.trim_end_matches('/')), a.span);
                    j.home = d == "~" || d.starts_with("~/");
                    roots.push(j);
                    i += 1;
                }
            }
            Some(v) if v.starts_with('-') => {}
            _ => roots.push(a.clone()),
        }
    }
    trees_of(roots, Read, Walk::default())
}

/// find's start points as findutils reads them (`looks_like_expression`):
/// after the leading options (`-H`, `-L`, `-P`, `-D OPTS`, `-OLEVEL`; a
/// `--` ends them), every word up to the first that starts the expression:
/// `-X…` (a lone `-` is a file name), `!` or `(`. In start-point position
/// `,` and `)` are file names too. Returns the indices of the leading
/// options, of the start points, and of the first word of the expression.
/// A word computed at run time is taken as a start point.
pub(crate) fn find_start_points(argv: &[Arg]) -> (Vec<usize>, Vec<usize>, usize) {
    let mut options = Vec::new();
    let mut i = 1;
    while let Some(v) = argv.get(i).and_then(Arg::lit) {
        match v {
            "--" => {
                i += 1;
                break;
            }
            "-H" | "-L" | "-P" => options.push(i),
            "-D" => {
                options.push(i);
                i += 1;
            }
            _ if v.starts_with("-D") || v.starts_with("-O") => options.push(i),
            _ => break,
        }
        i += 1;
    }
    let mut roots = Vec::new();
    while i < argv.len() {
        if argv[i]
            .lit()
            .is_some_and(|v| (v.starts_with('-') && v.len() > 1) || v == "!" || v == "(")
        {
            break;
        }
        roots.push(i);
        i += 1;
    }
    (options, roots, i.min(argv.len()))
}

/// `find ROOT…`: lists every directory below its roots (to `-maxdepth`).
fn find_trees(argv: &[Arg]) -> Vec<Tree> {
    let (_, starts, _) = find_start_points(argv);
    let mut roots: Vec<Arg> = starts.iter().map(|&r| argv[r].clone()).collect();
    if roots.is_empty() {
        roots.push(here(argv));
    }
    let walk = Walk {
        max_depth: find_max_depth(argv),
        ..Walk::default()
    };
    trees_of(roots, List, walk)
}

/// find's primaries that take one argument word (GNU findutils;
/// `-newerXY` too). `-fprintf` takes two, the `-exec` family every word up
/// to its `;` or `{} +`.
const FIND_ONE_ARG: &[&str] = &[
    "-amin",
    "-anewer",
    "-atime",
    "-cmin",
    "-cnewer",
    "-context",
    "-ctime",
    "-files0-from",
    "-fls",
    "-fprint",
    "-fprint0",
    "-fstype",
    "-gid",
    "-group",
    "-ilname",
    "-iname",
    "-inum",
    "-ipath",
    "-iregex",
    "-iwholename",
    "-links",
    "-lname",
    "-maxdepth",
    "-mindepth",
    "-mmin",
    "-mtime",
    "-name",
    "-newer",
    "-path",
    "-perm",
    "-printf",
    "-regex",
    "-regextype",
    "-samefile",
    "-size",
    "-type",
    "-uid",
    "-used",
    "-user",
    "-wholename",
    "-xtype",
];

/// The primaries of a find command's expression as find reads them: for
/// each, the index of its word and the end (exclusive) of its arguments.
/// The words of an `-exec`/`-execdir` command, up to its `;` or `{} +`, and
/// of an `-ok`/`-okdir` command, up to its `;` (only), belong to that primary: they are the program's
/// arguments, not find's tests. `None` when a primary word is computed at
/// run time (it could be any primary).
pub(crate) fn find_primaries(argv: &[Arg]) -> Option<Vec<(usize, usize)>> {
    let (_, _, mut i) = find_start_points(argv);
    let mut out = Vec::new();
    while i < argv.len() {
        let v = argv[i].lit()?;
        let end = match v {
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                (find_command_end(argv, i) + 1).min(argv.len())
            }
            "-fprintf" => i + 3,
            _ if FIND_ONE_ARG.contains(&v) || (v.len() == 8 && v.starts_with("-newer")) => i + 2,
            _ => i + 1,
        };
        let end = end.min(argv.len());
        out.push((i, end));
        i = end;
    }
    Some(out)
}

/// The index of the word that ends the command of the `-exec`/`-execdir`/
/// `-ok`/`-okdir` at `at` (`argv.len()` when none does): `;`, or for
/// `-exec`/`-execdir` a `+` right after `{}`. GNU find ends `-ok`/`-okdir`
/// only at `;`: a `{} +` there is two words of the command.
pub(crate) fn find_command_end(argv: &[Arg], at: usize) -> usize {
    let plus = argv[at].is("-exec") || argv[at].is("-execdir");
    let start = at + 1;
    let mut j = start;
    while j < argv.len()
        && !(argv[j].is(";") || (plus && argv[j].is("+") && j > start && argv[j - 1].is("{}")))
    {
        j += 1;
    }
    j
}

/// The `-maxdepth N` of a find command: a global option, wherever it
/// stands, and when given several times the last one counts (as find
/// reads it). `None` (no limit known) when the last value is not a literal
/// number or a primary is computed at run time. Words inside an `-exec`
/// command are that command's.
pub(crate) fn find_max_depth(argv: &[Arg]) -> Option<usize> {
    find_primaries(argv)?
        .into_iter()
        .rfind(|&(i, _)| argv[i].is("-maxdepth"))
        .and_then(|(i, _)| argv.get(i + 1)?.lit()?.parse::<usize>().ok())
}

/// The `-name`/`-iname` tests of a find command that come before its first
/// `-exec`/`-execdir`/`-ok`/`-okdir`/`-delete`: in a plain conjunction
/// ([`find_model`](super::wrappers::find_model)), every path those act on
/// passes them. Tests after an action do not restrict it, and words inside
/// an `-exec` command are that command's.
pub(crate) fn find_names(argv: &[Arg]) -> Vec<(String, bool)> {
    let Some(primaries) = find_primaries(argv) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, _) in primaries {
        let fold = match argv[i].lit() {
            Some("-exec" | "-execdir" | "-ok" | "-okdir" | "-delete") => break,
            Some("-name") => false,
            Some("-iname") => true,
            _ => continue,
        };
        if let Some(p) = argv.get(i + 1).and_then(Arg::lit) {
            out.push((p.to_string(), fold));
        }
    }
    out
}

/// git subcommands that read untracked files below their pathspecs (or the
/// whole working tree): `add` (not `-u`), `stash -u`/`-a` (push or save),
/// `grep --untracked`/`--no-index`, `diff --no-index`. A pathspec with
/// top-of-tree or exclude magic (`:/`, `:(top)`, `:!x`) is taken as the top
/// of the working tree, one with other magic (`:(glob)…`) as the directory
/// git runs in,
/// one with a glob character as its literal directory.
fn git_trees(argv: &[Arg]) -> Vec<Tree> {
    let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
    let Some(sub) = argv.get(scan.first).and_then(Arg::lit) else {
        return Vec::new();
    };
    // The working tree's top. `-C DIR` moved the analysis into DIR before
    // the walks are judged: names are relative to where git runs, as
    // git's own pathspecs are (`git -C src clean ..` deletes below the
    // parent of `src`).
    let mut work_tree: Option<Arg> = None;
    for (opt, idx, inline) in &scan.opts {
        let v = match (idx, inline) {
            (Some(i), _) => argv.get(*i).cloned(),
            (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
            _ => None,
        };
        match opt.as_str() {
            "-C" if v.as_ref().and_then(Arg::lit).is_none() => return Vec::new(),
            "--work-tree" => work_tree = v,
            _ => {}
        }
    }
    let span = argv[scan.first].span;
    let at = |p: &str| -> Arg {
        let mut a = Arg::literal(p, span);
        a.home = p == "~" || p.starts_with("~/");
        a
    };
    let top = || -> Arg {
        match &work_tree {
            Some(w) => w.clone(),
            // The top is found where git runs: `:/` below stands for it.
            None => {
                let mut a = at(".");
                a.template = Some(":/".to_string());
                a
            }
        }
    };
    let rest = &argv[scan.first + 1..];
    let pathspec = |a: &Arg| -> Arg {
        match a.lit() {
            // Top-of-tree and exclude magic (`:/`, `:(top)`, `:!x`) walk
            // from the top; other magic (`:(glob)…`) below where git
            // runs, unless it climbs (`:(glob)../*`).
            Some(v) if super::git_model::magic_leaves_cwd(v) => top(),
            Some(v) if v.starts_with(':') => at("."),
            Some(v) => {
                let fixed = match v.find(['*', '?', '[', '\\']) {
                    Some(g) => match v[..g].rfind('/') {
                        Some(s) => &v[..s.max(1)],
                        None => ".",
                    },
                    None => v,
                };
                at(fixed)
            }
            None => a.clone(),
        }
    };
    let values = match sub {
        "add" => GIT_ADD_VALUES,
        "stash" => GIT_STASH_VALUES,
        "clean" => &["-e", "--exclude"],
        _ => GIT_GREP_VALUES,
    };
    let (opts, operands) = permuted(argv, scan.first + 1, values);
    let after_dashes = rest.iter().position(|a| a.is("--"));
    let ops: Vec<&Arg> = operands.iter().map(|&i| &argv[i]).collect();
    let all = Walk::default();
    match sub {
        "add" => {
            if has(&opts, &["-u", "--update"]) && !has(&opts, &["-A", "--all"]) {
                return Vec::new();
            }
            let mut roots: Vec<Arg> = ops.iter().map(|a| pathspec(a)).collect();
            if roots.is_empty() && has(&opts, &["-A", "--all", "--no-ignore-removal"]) {
                roots.push(top());
            }
            trees_of(roots, Read, all)
        }
        "stash" => {
            let action = ops.first().and_then(|a| a.lit());
            let pushes = match action {
                None => true,
                Some("push" | "save") => true,
                // `git stash -u -- PATH` and `git stash -u PATH…`: a push.
                Some(_) => {
                    after_dashes.is_some() || rest.first().is_some_and(|a| a.text.starts_with('-'))
                }
            };
            let untracked = has(&opts, &["-u", "--include-untracked", "-a", "--all"]);
            if !pushes || !untracked {
                return Vec::new();
            }
            let specs: Vec<Arg> = ops
                .iter()
                .skip(usize::from(matches!(action, Some("push" | "save"))))
                .map(|a| pathspec(a))
                .collect();
            let roots = if specs.is_empty() || action == Some("save") {
                vec![top()]
            } else {
                specs
            };
            trees_of(roots, Read, all)
        }
        "grep" => {
            if !has(&opts, &["--untracked", "--no-index"]) {
                return Vec::new();
            }
            let skip = usize::from(!has(&opts, &["-e", "-f"]));
            let mut roots: Vec<Arg> = ops.iter().skip(skip).map(|a| pathspec(a)).collect();
            if roots.is_empty() {
                roots.push(at("."));
            }
            trees_of(roots, Read, all)
        }
        // `git clean` deletes the untracked files below its pathspecs (or
        // the directory it runs in); `-e`, `.gitignore` and `-x` are not
        // modelled: every blocked entry below counts. Only a dry run
        // deletes nothing (without `-f`, git refuses unless
        // `clean.requireForce` is false, which the analysis does not read).
        "clean" => {
            if has(&opts, &["-n", "--dry-run"]) {
                return Vec::new();
            }
            let mut roots: Vec<Arg> = ops.iter().map(|a| pathspec(a)).collect();
            if roots.is_empty() {
                roots.push(at("."));
            }
            trees_of(roots, FileOperation::Delete, all)
        }
        "diff" if has(&opts, &["--no-index"]) => {
            let roots = ops.iter().map(|a| pathspec(a)).collect();
            trees_of(roots, Read, all)
        }
        _ => Vec::new(),
    }
}

impl Analyzer<'_> {
    /// Judge the blocked entries inside every tree the command walks.
    pub(crate) fn check_tree_walks(&mut self, argv: &[Arg], base: &str) {
        for t in trees(argv, base) {
            let via = format!("{base} (walks {})", clip(&t.root.shown()));
            self.check_tree(&t.root, t.op, &t.walk, argv, &via);
        }
    }

    /// The blocked entries a walk of `root` reaches, each judged as `op`
    /// (a listing reads the names inside the directories only).
    pub(crate) fn check_tree(
        &mut self,
        root: &Arg,
        op: FileOperation,
        walk: &Walk,
        argv: &[Arg],
        via: &str,
    ) {
        // A root computed at run time is judged by the operand checks.
        let Some(v) = root.lit() else { return };
        let mut v = v.to_string();
        if root.template.as_deref() == Some(":/") {
            // git's `:/`: the top of the working tree git runs in.
            match self.git_top(&v, root.home) {
                Some(t) => v = t,
                None => return,
            }
        }
        let Some(path) = self.resolve(&v, root.home) else {
            return;
        };
        let Some(host) = self.fs.host_path_of(&path) else {
            return;
        };
        let Some(real) = self.canonical(&host) else {
            // No such directory (yet): the tool finds nothing there.
            return;
        };
        let (entries, globs) = self.fs.blocked_in_tree(&path);
        let mut hits: Vec<PathBuf> = Vec::new();
        for e in entries {
            if std::fs::symlink_metadata(&e).is_ok() && !hits.contains(&e) {
                hits.push(e);
            }
        }
        if globs {
            let mut budget = MAX_WALK.saturating_sub(self.shell.fs_entries);
            let before = budget;
            // The physical path the glob entries are matched against (on
            // Windows canonical names carry a `\\?\` prefix the policy's
            // paths have not).
            let from = if cfg!(windows) { &host } else { &real };
            let found = self.glob_hits(from, walk, &mut budget);
            self.shell.fs_entries += before - budget;
            match found {
                Some(found) => hits.extend(found),
                None => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "{via}: the tree is too large to find every match of the blocked patterns in it (or holds a name that is not UTF-8); name smaller directories",
                        ),
                        root.span,
                        argv,
                    );
                    return;
                }
            }
        }
        let mut git_hits: Vec<PathBuf> = Vec::new();
        if walk.git_dirs && op.modifies() {
            let mut budget = MAX_WALK.saturating_sub(self.shell.fs_entries);
            let before = budget;
            let found = git_entries(&real, walk, op == FileOperation::Write, &mut budget);
            self.shell.fs_entries += before - budget;
            match found {
                Some(found) => git_hits = found,
                None => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "{via}: the tree is too large to find every git directory in it (or holds a name that is not UTF-8); name smaller directories",
                        ),
                        root.span,
                        argv,
                    );
                    return;
                }
            }
        }
        for hit in git_hits {
            let Ok(rel) = hit.strip_prefix(&real) else {
                continue;
            };
            let is_dir = std::fs::symlink_metadata(&hit).is_ok_and(|m| m.is_dir());
            let name_ok = walk.names.is_empty() || (is_dir && named(rel, walk));
            if (is_dir && !name_ok) || !reaches(rel, is_dir, op, walk) {
                continue;
            }
            let Some(text) = hit.to_str() else { continue };
            let a = Arg::literal(text, root.span);
            self.check_path_pub(&a, op, argv, via);
        }
        for hit in hits {
            let rel = hit.strip_prefix(&host).or_else(|_| hit.strip_prefix(&real));
            let is_dir = std::fs::metadata(&hit).is_ok_and(|m| m.is_dir());
            if let Ok(rel) = rel {
                if !reaches(rel, is_dir, op, walk) {
                    continue;
                }
            } else if op == List && !is_dir {
                continue;
            }
            let Some(text) = hit.to_str() else { continue };
            let a = Arg::literal(text, root.span);
            self.check_path_pub(&a, op, argv, via);
        }
    }

    /// The entries below `dir` that a glob entry of `blocked_paths` covers
    /// (not descending into them); `None` when the walk ran out of budget.
    fn glob_hits(&self, dir: &Path, walk: &Walk, budget: &mut usize) -> Option<Vec<PathBuf>> {
        let mut out = Vec::new();
        let mut stack = vec![(dir.to_path_buf(), 0usize)];
        while let Some((d, depth)) = stack.pop() {
            if walk.max_depth.is_some_and(|m| depth >= m) {
                continue;
            }
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                if *budget == 0 {
                    return None;
                }
                *budget -= 1;
                let name = e.file_name().into_string().ok()?;
                if walk.skips_hidden && name.starts_with('.') {
                    continue;
                }
                let p = e.path();
                if self.fs.blocked_glob_at(&p).is_some() {
                    out.push(p);
                } else if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push((p, depth + 1));
                }
            }
        }
        Some(out)
    }

    /// The top of the git working tree around `dir`: the nearest directory
    /// at or above it that holds `.git`.
    pub(crate) fn git_top(&self, dir: &str, home: bool) -> Option<String> {
        let path = self.resolve(dir, home)?;
        let host = self.fs.host_path_of(&path)?;
        if let Some((_, top)) = self
            .lookups
            .git_tops
            .borrow()
            .iter()
            .find(|(h, _)| *h == host)
        {
            return top.clone();
        }
        let top = self.git_top_of(&host);
        self.lookups.git_tops.borrow_mut().push((host, top.clone()));
        top
    }

    /// [`Self::git_top`] of a host path, looked up on disk.
    fn git_top_of(&self, host: &Path) -> Option<String> {
        let mut at = self.canonical(host)?;
        loop {
            if at.join(".git").exists() {
                return at.to_str().map(str::to_string);
            }
            if !at.pop() {
                // Not in a repository: git refuses to run.
                return None;
            }
        }
    }
}

impl Analyzer<'_> {
    /// `std::fs::canonicalize(host)` (`None` on any error), looked up once
    /// per check (see [`super::walk::Lookups`]).
    pub(crate) fn canonical(&self, host: &Path) -> Option<PathBuf> {
        if let Some((_, real)) = self
            .lookups
            .canonical
            .borrow()
            .iter()
            .find(|(h, _)| h == host)
        {
            return real.clone();
        }
        let real = std::fs::canonicalize(host).ok();
        self.lookups
            .canonical
            .borrow_mut()
            .push((host.to_path_buf(), real.clone()));
        real
    }
}

/// At most this many links found by one `find … -exec CMD {}` walk are
/// judged one by one; more is not modelled.
const MAX_FOUND_LINKS: usize = 32;

impl Analyzer<'_> {
    /// `find ROOT … -exec CMD {}` with `{}` judged as a walk below ROOT
    /// ([`Arg::found`]): find does not follow the links it meets, but it
    /// passes them as `{}`, and CMD opens them and the system follows them
    /// (`find . -name key -exec cat {} +` with `key -> ~/.ssh/id_rsa`).
    /// Each link the walk reaches (the tree as it is at check time) is a
    /// further run of CMD with `{}` spelled as that link, judged as that
    /// operand written out would be (`cat ./key`, `grep -r . ./h`). A walk
    /// beyond the budget or too many links is not modelled.
    pub(crate) fn found_link_inners(
        &mut self,
        mut inners: Vec<Vec<Arg>>,
        argv: &[Arg],
    ) -> Vec<Vec<Arg>> {
        let Some(found) = inners.iter().flatten().find(|a| a.found.is_some()).cloned() else {
            return inners;
        };
        let Some(walk) = found.found.as_ref() else {
            return inners;
        };
        let root = found.prefix.trim_end_matches('/');
        let root = if root.is_empty() { "/" } else { root }.to_string();
        let Some(path) = self.resolve(&root, found.home) else {
            return inners;
        };
        let Some(host) = self.fs.host_path_of(&path) else {
            return inners;
        };
        let mut links: Vec<String> = Vec::new();
        // The root itself: find examines a start point that is a link
        // without following it, and passes it when it passes the tests.
        if std::fs::symlink_metadata(&host).is_ok_and(|m| m.file_type().is_symlink())
            && named(Path::new(&root), walk)
        {
            links.push(root.clone());
        }
        let mut budget = MAX_WALK.saturating_sub(self.shell.fs_entries);
        let before = budget;
        let below = links_reached(&host, walk, &mut budget);
        self.shell.fs_entries += before - budget;
        // And the links the command made or moved below the root earlier,
        // which the walk meets though they are not on disk now.
        let made = self.new_links_below(&path).map(|made| {
            let top = super::rules::normalize_path(&path);
            made.iter()
                .filter_map(|l| {
                    let rel = l.strip_prefix(&top)?.trim_start_matches('/').to_string();
                    let depth = rel.split('/').count();
                    (walk.max_depth.is_none_or(|m| depth <= m) && named(Path::new(&rel), walk))
                        .then_some(rel)
                })
                .collect::<Vec<_>>()
        });
        let too_many = match (below, made) {
            (Some(below), Some(made)) => {
                let prefix = if root == "/" {
                    String::new()
                } else {
                    root.clone()
                };
                for r in below.into_iter().chain(made) {
                    let l = format!("{prefix}/{r}");
                    if !links.contains(&l) {
                        links.push(l);
                    }
                }
                links.len() > MAX_FOUND_LINKS
            }
            _ => true,
        };
        if too_many {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "find -exec: the links below {} that the command would be given (and would follow) cannot all be found (a tree too large, more than {MAX_FOUND_LINKS} links, a name that is not UTF-8, or links made earlier under names not known); name a smaller directory",
                    clip(&root)
                ),
                found.span,
                argv,
            );
            return inners;
        }
        let mut more = Vec::new();
        for link in &links {
            for inner in &inners {
                if !inner.iter().any(|a| a.found.is_some()) {
                    continue;
                }
                let spelled: Vec<Arg> = inner
                    .iter()
                    .map(|a| {
                        if a.found.is_some() {
                            let mut l = Arg::literal(link, a.span);
                            l.home = a.home;
                            l
                        } else {
                            a.clone()
                        }
                    })
                    .collect();
                more.push(spelled);
            }
        }
        inners.extend(more);
        inners
    }
}

/// The links below `dir` that a find walk passes to its actions (not
/// followed; to its `-maxdepth`, passing its `-name` tests), as paths
/// relative to `dir`; `None` when the walk ran out of budget or met a name
/// that is not UTF-8.
fn links_reached(dir: &Path, walk: &Walk, budget: &mut usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    while let Some((d, rel, depth)) = stack.pop() {
        if walk.max_depth.is_some_and(|m| depth >= m) {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            *budget = budget.checked_sub(1)?;
            let name = e.file_name().into_string().ok()?;
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            match e.file_type() {
                Ok(t) if t.is_symlink() => {
                    if named(Path::new(&r), walk) {
                        out.push(r);
                    }
                }
                Ok(t) if t.is_dir() => stack.push((e.path(), r, depth + 1)),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
    out.sort();
    Some(out)
}

/// Whether the last name of `rel` passes the walk's -name tests.
fn named(rel: &Path, walk: &Walk) -> bool {
    let last = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    walk.names.iter().all(|(pat, fold)| {
        if *fold {
            super::wrappers::fnmatch(&pat.to_lowercase(), &last.to_lowercase())
        } else {
            super::wrappers::fnmatch(pat, last)
        }
    })
}

/// The protected entries of the git directories at or below `dir` (a
/// `.git` directory, or a directory holding `HEAD` and `objects`): the
/// directory, its `config`, its `hooks` and every entry in them; with
/// `linked` (a walk that writes what it reaches) also every regular file
/// with more than one name (a hard link: a write through it changes the
/// file under its other names, which the filesystem guard refuses). `None`
/// when the walk ran out of budget or met a name that is not UTF-8.
fn git_entries(dir: &Path, walk: &Walk, linked: bool, budget: &mut usize) -> Option<Vec<PathBuf>> {
    let is_git = |d: &Path| {
        d.file_name().is_some_and(|n| n == ".git")
            || (d.join("HEAD").is_file() && d.join("objects").is_dir())
    };
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        if is_git(&d) {
            out.push(d.clone());
            out.push(d.join("config"));
            let hooks = d.join("hooks");
            out.push(hooks.clone());
            if let Ok(rd) = std::fs::read_dir(&hooks) {
                for e in rd.flatten() {
                    *budget = budget.checked_sub(1)?;
                    e.file_name().into_string().ok()?;
                    out.push(e.path());
                }
            }
            continue;
        }
        if walk.max_depth.is_some_and(|m| depth >= m) {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            *budget = budget.checked_sub(1)?;
            let name = e.file_name().into_string().ok()?;
            if walk.skips_hidden && name.starts_with('.') {
                continue;
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((e.path(), depth + 1));
            } else if linked && e.metadata().is_ok_and(|m| m.is_file() && several_names(&m)) {
                out.push(e.path());
            }
        }
    }
    out.retain(|p| std::fs::symlink_metadata(p).is_ok());
    Some(out)
}

/// Whether a file has more than one name (hard link).
#[cfg(unix)]
fn several_names(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    m.nlink() > 1
}

#[cfg(not(unix))]
fn several_names(_: &std::fs::Metadata) -> bool {
    false
}

/// Whether a walk that judges `op` reaches the entry at `rel` below its
/// root in a way that touches what the policy blocks.
fn reaches(rel: &Path, is_dir: bool, op: FileOperation, walk: &Walk) -> bool {
    let names: Vec<&str> = rel
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    if walk.skips_hidden && names.iter().any(|n| n.starts_with('.')) {
        return false;
    }
    let depth = names.len();
    // A listing reads the names inside a directory: one level deeper.
    let inside = op == List || (is_dir && !walk.names.is_empty());
    let needed = if inside { depth + 1 } else { depth };
    if walk.max_depth.is_some_and(|m| needed > m) {
        return false;
    }
    if op == List && !is_dir {
        return false;
    }
    if walk.names.is_empty() || is_dir {
        return true;
    }
    let last = names.last().copied().unwrap_or_default();
    walk.names.iter().all(|(pat, fold)| {
        if *fold {
            super::wrappers::fnmatch(&pat.to_lowercase(), &last.to_lowercase())
        } else {
            super::wrappers::fnmatch(pat, last)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(names: &[(&str, bool)], max: Option<usize>, hidden: bool) -> Walk {
        Walk {
            skips_hidden: hidden,
            max_depth: max,
            names: names.iter().map(|(p, f)| (p.to_string(), *f)).collect(),
            git_dirs: false,
        }
    }

    #[test]
    fn what_a_walk_reaches() {
        let all = Walk::default();
        assert!(reaches(Path::new(".env"), false, Read, &all));
        assert!(reaches(Path::new("a/.ssh"), true, Read, &all));
        // A listing shows a blocked file's name only: the name is not
        // what is blocked; a blocked directory's names are.
        assert!(!reaches(Path::new(".env"), false, List, &all));
        assert!(reaches(Path::new(".ssh"), true, List, &all));
        // Hidden names are skipped by rg, ag, tree and ls -R without -a.
        assert!(!reaches(
            Path::new(".env"),
            false,
            Read,
            &walk(&[], None, true)
        ));
        assert!(!reaches(
            Path::new(".cfg/secret"),
            false,
            Read,
            &walk(&[], None, true)
        ));
        assert!(reaches(
            Path::new("cfg/secret"),
            false,
            Read,
            &walk(&[], None, true)
        ));
        // find -maxdepth: .env is at depth 1, the files of .ssh at 2.
        assert!(reaches(
            Path::new(".env"),
            false,
            Read,
            &walk(&[(".env", false)], Some(1), false)
        ));
        assert!(!reaches(
            Path::new("a/.env"),
            false,
            Read,
            &walk(&[(".env", false)], Some(1), false)
        ));
        assert!(!reaches(
            Path::new(".ssh"),
            true,
            Read,
            &walk(&[("*.pem", false)], Some(1), false)
        ));
        assert!(reaches(
            Path::new(".ssh"),
            true,
            Read,
            &walk(&[("*.pem", false)], Some(2), false)
        ));
        // find -name: a blocked file whose name matches; anything inside a
        // blocked directory may match.
        assert!(reaches(
            Path::new(".env"),
            false,
            Read,
            &walk(&[(".ENV", true)], None, false)
        ));
        assert!(!reaches(
            Path::new(".env"),
            false,
            Read,
            &walk(&[("*.rs", false)], None, false)
        ));
        assert!(reaches(
            Path::new(".ssh"),
            true,
            Read,
            &walk(&[("*.rs", false)], None, false)
        ));
    }

    fn argv(words: &[&str]) -> Vec<Arg> {
        words.iter().map(|w| Arg::literal(w, [0, 0])).collect()
    }

    fn roots(words: &[&str]) -> Vec<(String, FileOperation)> {
        let a = argv(words);
        trees(&a, words[0])
            .into_iter()
            .map(|t| (t.root.lit().unwrap_or("?").to_string(), t.op))
            .collect()
    }

    #[test]
    fn which_trees_tools_walk() {
        let r = |v: &str| (v.to_string(), Read);
        let l = |v: &str| (v.to_string(), List);
        assert_eq!(roots(&["grep", "-r", "x"]), [r(".")]);
        assert_eq!(roots(&["grep", "-rl", "x", "src", "."]), [r("src"), r(".")]);
        assert_eq!(roots(&["grep", "-d", "recurse", "x", "."]), [r(".")]);
        assert_eq!(roots(&["grep", "--directories=recurse", "x"]), [r(".")]);
        assert_eq!(roots(&["grep", "-r", "-e", "x", "a"]), [r("a")]);
        assert!(roots(&["grep", "x", "a.txt"]).is_empty());
        assert!(roots(&["grep", "-d", "skip", "x", "a"]).is_empty());
        assert_eq!(roots(&["rg", "x"]), [r(".")]);
        assert_eq!(roots(&["cp", "-r", ".", "sub"]), [r(".")]);
        assert_eq!(roots(&["cp", "-a", "-t", "d", "x", "y"]), [r("x"), r("y")]);
        assert!(roots(&["cp", "a", "b"]).is_empty());
        assert_eq!(roots(&["rsync", "-a", "~/", "h/"]), [r("~/")]);
        assert!(roots(&["rsync", "-a", "src/", "host:dst"]).len() == 1);
        assert!(roots(&["rsync", "-a", "host:src/", "dst"]).is_empty());
        assert_eq!(roots(&["diff", "-rN", "sub", "."]), [r("sub"), r(".")]);
        // A directory operand is read one level deep (files: nothing below).
        assert_eq!(roots(&["diff", "a", "b"]), [r("a"), r("b")]);
        assert_eq!(
            roots(&["diff", "--recursive", "-N", "a", "b"]),
            [r("a"), r("b")]
        );
        assert_eq!(roots(&["zip", "-r", "x.zip", "."]), [r(".")]);
        assert_eq!(
            roots(&["jar", "cf", "x.jar", "-C", "sub", "..", "a"]),
            [r("x.jar"), r("sub"), r("sub/.."), r("a")]
        );
        assert!(roots(&["jar", "tf", "x.jar"]).is_empty());
        assert_eq!(roots(&["ls", "-laR", "~"]), [l("~")]);
        assert!(roots(&["ls", "-la", "~"]).is_empty());
        assert_eq!(roots(&["du", "-sh"]), [l(".")]);
        assert_eq!(roots(&["find", "~", "-name", "x"]), [l("~")]);
        assert_eq!(
            roots(&["python3", "-m", "http.server", "--directory", "~"]),
            [r("~")]
        );
        assert_eq!(roots(&["git", "add", "."]), [r(".")]);
        assert_eq!(roots(&["git", "add", "-A"]), [r(".")]);
        assert!(roots(&["git", "add", "-u"]).is_empty());
        assert!(roots(&["git", "add"]).is_empty());
        assert_eq!(roots(&["git", "add", "src/*.rs"]), [r("src")]);
        // The analysis runs in `-C`'s directory already.
        assert_eq!(roots(&["git", "-C", "sub", "add", "x"]), [r("x")]);
        assert_eq!(roots(&["git", "stash", "-u"]), [r(".")]);
        assert_eq!(roots(&["git", "stash", "push", "-a", "--", "d"]), [r("d")]);
        assert_eq!(
            roots(&["git", "stash", "push", "-u", "-m", "wip"]),
            [r(".")]
        );
        assert_eq!(roots(&["git", "add", "--chmod", "+x", "d"]), [r("d")]);
        assert!(roots(&["git", "stash"]).is_empty());
        assert!(roots(&["git", "stash", "show", "-p", "-u"]).is_empty());
        assert_eq!(roots(&["git", "grep", "--untracked", "x"]), [r(".")]);
        assert_eq!(
            roots(&["git", "grep", "--no-index", "-e", "x", "~"]),
            [r("~")]
        );
        assert!(roots(&["git", "grep", "x"]).is_empty());
        assert_eq!(
            roots(&["git", "diff", "--no-index", "a", "b"]),
            [r("a"), r("b")]
        );
    }
}
