//! git's subcommands, read by what they do: a subcommand outside the known
//! list asks (`send-email`, `instaweb`, `shell` and aliases run programs);
//! `git config` sets only known-inert keys and writes only the repository's
//! own file; paths operands of reading subcommands are reads (a path
//! outside the repository turns `git diff` into `--no-index`); directories
//! a subcommand creates are writes.

use super::normalize::Arg;
use super::walk::Analyzer;
use super::wrappers::scan_options;
use crate::decision::DecisionCode;
use crate::decision::Verdict;
use crate::guards::filesystem::FileOperation::{self, Read, Write};
use crate::guards::filesystem::FileRequest;

/// Subcommands the analysis knows.
const SUBCOMMANDS: &[&str] = &[
    "add",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bundle",
    "cat-file",
    "check-attr",
    "check-ignore",
    "checkout",
    "cherry",
    "cherry-pick",
    "clean",
    "clone",
    "commit",
    "config",
    "count-objects",
    "describe",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "difftool",
    "fetch",
    "for-each-ref",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "hash-object",
    "help",
    "init",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "merge",
    "merge-base",
    "mv",
    "name-rev",
    "notes",
    "pull",
    "push",
    "range-diff",
    "rebase",
    "reflog",
    "remote",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "shortlog",
    "show",
    "show-branch",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "submodule",
    "switch",
    "symbolic-ref",
    "tag",
    "update-index",
    "update-ref",
    "var",
    "verify-commit",
    "version",
    "whatchanged",
    "worktree",
    "write-tree",
    "--version",
    "--help",
];

/// Subcommands whose operands are files they read: `git diff` with a path
/// outside the repository is `git diff --no-index` and reads it; `git apply`
/// reads its patch files. (Other subcommands refuse paths outside the
/// repository.) A revision is judged as a workspace path, which is allowed.
const READS_PATHS: &[&str] = &["diff", "difftool", "apply"];

/// Subcommands that may write files of the working tree (check out,
/// merge, apply): a tracked link (mode 120000) is made as a link, so the
/// files below the working tree are then not known; with `--work-tree
/// DIR` they are written below DIR.
fn writes_work_tree(sub: &str, rest: &[Arg]) -> bool {
    let has = |names: &[&str]| {
        rest.iter().any(|a| {
            a.lit().is_some_and(|v| {
                names
                    .iter()
                    .any(|n| v == *n || v.strip_prefix(*n).is_some_and(|r| r.starts_with('=')))
            })
        })
    };
    let first = rest
        .iter()
        .find(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
        .and_then(|a| a.lit());
    match sub {
        "checkout" | "switch" | "merge" | "pull" | "rebase" | "cherry-pick" | "revert" | "am"
        | "bisect" | "submodule" | "sparse-checkout" | "mv" => true,
        "stash" => !matches!(first, Some("list" | "show" | "create")),
        "reset" => has(&["--hard", "--merge", "--keep"]),
        "restore" => !has(&["--staged", "-S"]) || has(&["--worktree", "-W"]),
        "apply" => !has(&["--cached", "--check", "--stat", "--numstat", "--summary"]),
        _ => false,
    }
}

/// Whether the subcommand writes files of the working tree with content
/// from the index, a commit or a stash (check out, merge, apply a stash,
/// reset): those files and their content are not the command's words. A
/// branch made where `HEAD` is (`checkout -b x`, `switch -c x`, no start
/// point) changes no file.
fn writes_unnamed_files(sub: &str, rest: &[Arg]) -> bool {
    let words: Vec<&str> = rest.iter().filter_map(|a| a.lit()).collect();
    let creates = |names: &[&str]| {
        words.iter().position(|w| {
            names.contains(w)
                || names
                    .iter()
                    .any(|n| w.strip_prefix(*n).is_some_and(|r| r.starts_with('=')))
        })
    };
    match sub {
        "checkout" | "switch" => {
            let names: &[&str] = if sub == "checkout" {
                &["-b", "-B", "--orphan"]
            } else {
                &["-c", "-C", "--create", "--force-create", "--orphan"]
            };
            match creates(names) {
                // `-b NAME` alone (options aside): no start point.
                Some(k) => {
                    let after = if words[k].contains('=') { k + 1 } else { k + 2 };
                    let start_point = words[..k]
                        .iter()
                        .chain(words.get(after..).unwrap_or_default())
                        .any(|w| !w.starts_with('-'));
                    start_point || rest.iter().any(|a| a.lit().is_none())
                }
                None => true,
            }
        }
        "checkout-index" => true,
        "read-tree" => words.contains(&"-u"),
        // A new working tree checked out from a commit the command chose
        // (`git clone -b REV SRC DIR`, `git worktree add DIR REV`): its
        // files are as unknown as those `git checkout REV` writes. Only the
        // exact spellings of the options that check nothing out are taken.
        "clone" => !words
            .iter()
            .any(|w| matches!(*w, "-n" | "--no-checkout" | "--bare" | "--mirror")),
        "worktree" => {
            let action = rest
                .iter()
                .find(|a| a.lit().is_none_or(|v| !v.starts_with('-')));
            action.is_some_and(|a| a.lit().is_none_or(|v| v == "add"))
                && !words.contains(&"--no-checkout")
        }
        _ => writes_work_tree(sub, rest) && sub != "mv",
    }
}

/// Subcommands whose operands are pathspecs naming files of the working
/// tree that git reads (adds, hashes, searches, stashes) or writes (checks
/// out, restores), with the operation judged for a literal one and the
/// options whose value is in the next word.
type Pathspecs = (&'static str, FileOperation, &'static [&'static str]);
const PATHSPECS: &[Pathspecs] = &[
    ("add", Read, &["--chmod", "--pathspec-from-file"]),
    ("update-index", Read, &["--cacheinfo", "--chmod"]),
    ("stash", Read, &["-m", "--message", "--pathspec-from-file"]),
    (
        "grep",
        Read,
        &[
            "-e",
            "-f",
            "-A",
            "-B",
            "-C",
            "--max-depth",
            "--threads",
            "-m",
            "--max-count",
        ],
    ),
    (
        "commit",
        Read,
        &[
            "-m",
            "--message",
            "-F",
            "--file",
            "-C",
            "-c",
            "--reuse-message",
            "--reedit-message",
            "-t",
            "--template",
            "--author",
            "--date",
            "--cleanup",
            "--trailer",
            "--fixup",
            "--squash",
            "--pathspec-from-file",
        ],
    ),
    ("hash-object", Read, &["-t", "--path"]),
    (
        "blame",
        Read,
        &[
            "-L",
            "--contents",
            "-S",
            "--ignore-rev",
            "--ignore-revs-file",
            "--date",
        ],
    ),
    ("check-attr", Read, &["--source"]),
    (
        "checkout",
        Write,
        &["-b", "-B", "--orphan", "--conflict", "--pathspec-from-file"],
    ),
    (
        "restore",
        Write,
        &["-s", "--source", "--conflict", "--pathspec-from-file"],
    ),
    ("reset", Read, &["--pathspec-from-file"]),
    ("rm", Write, &["--pathspec-from-file"]),
    ("clean", Write, &["-e", "--exclude"]),
];

/// Options of those subcommands whose value is in the next word.
const READS_WITH_ARG: &[&str] = &[
    "-U",
    "--unified",
    "-S",
    "-G",
    "-O",
    "--exclude",
    "--include",
    "-p",
    "--directory",
    "--build-fake-ancestor",
    "-C",
    "-x",
    "--extcmd",
    "-t",
    "--tool",
];

/// Configuration keys that never run a program, read a file or change
/// where git writes.
fn inert_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "user.name",
        "user.email",
        "core.autocrlf",
        "core.filemode",
        "core.ignorecase",
        "core.quotepath",
        "core.eol",
        "core.safecrlf",
        "core.whitespace",
        "core.precomposeunicode",
        "init.defaultbranch",
        "pull.rebase",
        "pull.ff",
        "push.default",
        "push.autosetupremote",
        "push.followtags",
        "fetch.prune",
        "fetch.prunetags",
        "merge.ff",
        "merge.conflictstyle",
        "rebase.autosquash",
        "rebase.autostash",
        "rebase.updaterefs",
        "diff.renames",
        "diff.algorithm",
        "diff.colormoved",
        "log.date",
        "log.decorate",
        "status.showuntrackedfiles",
        "status.short",
        "status.branch",
        "branch.sort",
        "tag.sort",
        "column.ui",
        "rerere.enabled",
        "help.format",
        "gc.auto",
        "core.longpaths",
        "core.symlinks",
    ];
    EXACT.contains(&k.as_str())
        || k.starts_with("color.")
        || k.starts_with("advice.")
        || (k.starts_with("branch.") && (k.ends_with(".merge") || k.ends_with(".rebase")))
}

/// `branch.NAME.remote VALUE`: a later plain `git fetch`/`git pull` on the
/// branch opens VALUE. git takes a name without `/` for a configured
/// remote, but a name no remote has (`host:x`, `ext::…`) and anything with
/// a `/` (`~/.ssh`, `file://…`) is a URL or a path: only a plain name
/// (letters, digits, `-`, `_`, `.`; not `..`) is inert.
fn inert_remote_name(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        !v.is_empty()
            && v != ".."
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    })
}

/// How the analysis reads one `git config` option: the one list both the
/// git model and the dangers table use.
pub(crate) struct ConfigOption {
    pub name: &'static str,
    /// The git model knows what it does (any other option is not modelled,
    /// except the ones naming another file).
    pub modelled: bool,
    /// It reads a value (`--get`, `--list`): nothing is set.
    pub query: bool,
    /// It sets no value from the operands (queries, removals, editing).
    pub not_setting: bool,
    /// It takes a value in the next word.
    pub with_arg: bool,
    /// It makes git config use another file than the repository's.
    pub other_file: bool,
}

const fn opt(
    name: &'static str,
    modelled: bool,
    query: bool,
    not_setting: bool,
    with_arg: bool,
    other_file: bool,
) -> ConfigOption {
    ConfigOption {
        name,
        modelled,
        query,
        not_setting,
        with_arg,
        other_file,
    }
}

/// `(name, modelled, query, not setting, takes a value, another file)`.
pub(crate) static CONFIG_OPTIONS: &[ConfigOption] = &[
    opt("--local", true, false, false, false, false),
    opt("--get", true, true, true, false, false),
    opt("--get-all", true, true, true, false, false),
    opt("--get-regexp", true, true, true, false, false),
    opt("--get-urlmatch", true, true, true, false, false),
    opt("-l", true, true, true, false, false),
    opt("--list", true, true, true, false, false),
    opt("--unset", true, false, true, false, false),
    opt("--unset-all", true, false, true, false, false),
    opt("--add", true, false, false, false, false),
    opt("--replace-all", true, false, false, false, false),
    opt("--type", true, false, false, true, false),
    opt("--bool", true, false, false, false, false),
    opt("--int", true, false, false, false, false),
    opt("--bool-or-int", true, false, false, false, false),
    opt("--path", true, false, false, false, false),
    opt("--default", true, false, false, true, false),
    opt("--name-only", true, false, true, false, false),
    opt("--show-origin", true, false, true, false, false),
    opt("--show-scope", true, false, false, false, false),
    opt("-z", true, false, false, false, false),
    opt("--null", true, false, false, false, false),
    opt("--includes", true, false, false, false, false),
    opt("--no-includes", true, false, false, false, false),
    opt("--remove-section", false, false, true, false, false),
    opt("--rename-section", false, false, true, false, false),
    opt("-e", false, false, true, false, false),
    opt("--edit", false, false, true, false, false),
    opt("--comment", false, false, false, true, false),
    opt("--value", false, false, false, true, false),
    opt("--global", false, false, false, false, true),
    opt("--system", false, false, false, false, true),
    opt("--worktree", false, false, false, false, true),
    opt("-f", false, false, false, true, true),
    opt("--file", false, false, false, true, true),
    opt("--blob", false, false, false, true, true),
];

/// The names of the `git config` options with a property.
pub(crate) fn config_options(has: impl Fn(&ConfigOption) -> bool) -> Vec<&'static str> {
    CONFIG_OPTIONS
        .iter()
        .filter(|o| has(o))
        .map(|o| o.name)
        .collect()
}

fn config_option(name: &str) -> Option<&'static ConfigOption> {
    CONFIG_OPTIONS.iter().find(|o| o.name == name)
}

/// Options by which git takes the paths it acts on from standard input or
/// from a file: `(subcommand or "" for any, long option name)`.
const PATH_LIST_OPTIONS: &[(&str, &str)] = &[
    ("", "pathspec-from-file"),
    ("update-index", "stdin"),
    ("update-index", "index-info"),
    ("checkout-index", "stdin"),
    ("hash-object", "stdin-paths"),
];

/// The path-list option a word spells, in full or as a prefix git accepts
/// (any prefix of three letters or more is taken for it: a shorter or
/// ambiguous one makes git fail).
fn path_list_option(sub: &str, word: &str) -> Option<&'static str> {
    let name = word.strip_prefix("--")?;
    let name = name.split('=').next().unwrap_or_default();
    // `hash-object --stdin` reads content, not paths: an exact name wins.
    if name.len() < 3 || (sub == "hash-object" && name == "stdin") {
        return None;
    }
    PATH_LIST_OPTIONS
        .iter()
        .find(|(s, o)| (s.is_empty() || *s == sub) && o.starts_with(name))
        .map(|(_, o)| *o)
}

impl Analyzer<'_> {
    /// Paths read from standard input or a file (`git add
    /// --pathspec-from-file=-`, `git update-index --add --stdin`, `git
    /// update-index --index-info`): which files git acts on is not in the
    /// command line, so not modelled.
    fn git_path_lists(&mut self, argv: &[Arg], sub: &str, rest: &[Arg]) {
        for a in rest {
            if a.is("--") {
                break;
            }
            let Some(v) = a.lit() else { continue };
            if let Some(opt) = path_list_option(sub, v) {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "git {sub} --{opt}: the paths git acts on are read from standard input or a file, not from the command line"
                    ),
                    a.span,
                    argv,
                );
                return;
            }
        }
    }

    /// `git apply`: the files it reads and writes are named inside the
    /// patch (its file operands, or standard input: a here-document, a
    /// redirection, a pipe, `-`), which the analysis does not read. git
    /// keeps them below the top of the working tree (`.git/…`, `..` and
    /// absolute names are refused unless `--unsafe-paths`, judged apart), so
    /// with a blocked entry there the command is not modelled, whatever
    /// the form: applying (`-R`, `--3way`, `--reject`) writes or deletes it,
    /// `--check` reads it to match the patch, `--cached`/`--index` put it
    /// in the index for a later checkout. Only the forms that print facts
    /// of the patch alone (`--stat`, `--numstat`, `--summary`, with no
    /// option but those known not to turn applying back on) read no file
    /// of the tree.
    fn git_apply_model(&mut self, argv: &[Arg], rest: &[Arg]) {
        const REPORTS: &[&str] = &["--stat", "--numstat", "--summary"];
        const INERT: &[&str] = &["-z", "-v", "--verbose", "-q", "--quiet", "-R", "--reverse"];
        let mut reports = false;
        let mut only_reports = true;
        for a in rest {
            let Some(v) = a.lit() else {
                only_reports = false;
                continue;
            };
            if v == "--" {
                break;
            }
            if REPORTS.contains(&v) {
                reports = true;
            } else if v.starts_with('-') && v != "-" && !INERT.contains(&v) {
                // `--check`, `--apply`, `--index`, `--cached`, `--3way`, an
                // abbreviation (`--ap`) or any other option.
                only_reports = false;
            }
        }
        if reports && only_reports {
            return;
        }
        let top = self
            .git_work_tree()
            .or_else(|| self.resolve(".", false))
            .unwrap_or_default();
        if let Some(rule) = self.fs.blocked_below(&top) {
            let at = rest.first().map_or(argv[0].span, |a| a.span);
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("git apply reads, writes or puts in the index the files its patch names (from a file or standard input), which are not known; a blocked entry is in the working tree ({rule})"),
                at,
                argv,
            );
        }
    }

    /// The git model of one git command line.
    pub(crate) fn check_git_model(&mut self, argv: &[Arg]) {
        let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        // `--icase-pathspecs` makes every pathspec match whatever the case
        // (`.ENV` names `.env`); the pathspecs are judged as spelled.
        if scan.has(&["--icase-pathspecs"]) {
            let at = argv
                .iter()
                .find(|a| a.is("--icase-pathspecs"))
                .map_or(argv[0].span, |a| a.span);
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                "git --icase-pathspecs: pathspecs match names in any case, which the analysis does not model".to_string(),
                at,
                argv,
            );
        }
        let Some(sub_arg) = argv.get(scan.first) else {
            return;
        };
        let Some(sub) = sub_arg.lit() else { return };
        let rest = &argv[scan.first + 1..];
        if !SUBCOMMANDS.contains(&sub) {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!("git {sub} is not a subcommand the analysis models (it may run programs or be an alias)"),
                sub_arg.span,
                argv,
            );
            return;
        }
        self.check_transport_to_made_git_dir(argv, sub, rest);
        self.git_fetch_model(argv, sub, rest);
        self.git_path_lists(argv, sub, rest);
        if sub == "apply" {
            self.git_apply_model(argv, rest);
        }
        // Options that name a file read or written, in any subcommand.
        for (k, a) in rest.iter().enumerate() {
            let Some(v) = a.lit() else { continue };
            let next = rest.get(k + 1);
            let value = |name: &str| -> Option<Arg> {
                if v == name {
                    next.cloned()
                } else {
                    v.strip_prefix(name)
                        .and_then(|r| r.strip_prefix('='))
                        .map(|x| Arg::literal(x, a.span))
                }
            };
            if let Some(f) = value("--pathspec-from-file") {
                self.check_file(&f, Read, argv, "git --pathspec-from-file");
            }
            if v == "--unsafe-paths" {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    "git apply --unsafe-paths writes the files named inside the patch, anywhere"
                        .to_string(),
                    a.span,
                    argv,
                );
            }
            if matches!(sub, "commit" | "tag" | "merge" | "notes") {
                for name in ["-F", "--file", "-t", "--template"] {
                    if let Some(f) = value(name) {
                        self.check_file(&f, Read, argv, &format!("git {sub} {name}"));
                    }
                }
                if v.len() > 2
                    && (v.starts_with("-F") || v.starts_with("-t"))
                    && !v.starts_with("--")
                {
                    let f = Arg::literal(&v[2..], a.span);
                    self.check_file(&f, Read, argv, &format!("git {sub}"));
                }
            }
            if sub == "update-index" {
                // `--cacheinfo MODE,SHA,PATH` (also `=`): the entry names
                // PATH, which a later checkout writes with that blob. (The
                // three-word form's PATH is a pathspec operand.)
                if let Some(path) = value("--cacheinfo").and_then(|i| {
                    i.lit()
                        .and_then(|v| v.splitn(3, ',').nth(2))
                        .map(str::to_string)
                }) {
                    let p = Arg::literal(&path, a.span);
                    self.check_pathspec(&p, Write, argv, "update-index --cacheinfo");
                }
            }
            if matches!(sub, "init" | "clone") {
                if let Some(d) = value("--separate-git-dir") {
                    self.note_git_dir(&d, true, argv);
                    self.check_file(&d, Write, argv, "git --separate-git-dir");
                }
            }
        }
        let operands = |with_arg: &[&'static str]| -> Vec<Arg> {
            let mut out = Vec::new();
            let mut i = 0;
            while i < rest.len() {
                let s = scan_options(rest, i, with_arg);
                if s.first >= rest.len() {
                    break;
                }
                if s.first > i && rest[s.first - 1].is("--") {
                    out.extend(rest[s.first..].iter().cloned());
                    break;
                }
                out.push(rest[s.first].clone());
                i = s.first + 1;
            }
            out
        };
        // `--work-tree DIR`: the files git reads and writes are below DIR,
        // under names the command does not show.
        let work_tree = scan.given_value(argv, "--work-tree", sub_arg.span);
        // Outside the working tree git runs at its top: the pathspecs are
        // relative to DIR.
        let outer_cwd = match work_tree
            .as_ref()
            .and_then(|w| w.lit().map(|v| (v, w.home)))
        {
            Some((v, home)) => {
                let top = self.resolve(v, home);
                let inside = match (
                    top.as_deref().and_then(|t| self.fs.host_path_of(t)),
                    self.resolve(".", false)
                        .and_then(|h| self.fs.host_path_of(&h)),
                ) {
                    (Some(t), Some(h)) => h.starts_with(&t),
                    _ => false,
                };
                if inside {
                    None
                } else {
                    let saved = self.cwd.clone();
                    self.cwd = match top {
                        Some(t) if t == "." => super::walk::Cwd::Workspace,
                        Some(t) => super::walk::Cwd::Dir(t),
                        None => super::walk::Cwd::Unknown,
                    };
                    Some(saved)
                }
            }
            None if work_tree.is_some() => {
                let saved = self.cwd.clone();
                self.cwd = super::walk::Cwd::Unknown;
                Some(saved)
            }
            None => None,
        };
        if let Some((_, op, with_arg)) = PATHSPECS.iter().find(|(n, _, _)| *n == sub) {
            let mut ops = operands(with_arg);
            // `git grep PATTERN [PATH…]`: the first operand is the pattern
            // unless `-e`/`-f` gives it.
            if sub == "grep"
                && !ops.is_empty()
                && !rest.iter().any(|a| {
                    a.lit().is_some_and(|v| {
                        v == "-e" || v == "-f" || v.starts_with("-f") && !v.starts_with("--")
                    })
                })
            {
                ops.remove(0);
            }
            for a in ops {
                self.check_pathspec(&a, *op, argv, sub);
            }
        }
        if let Some(c) = outer_cwd {
            self.cwd = c;
        }
        let git_dir = scan.given_value(argv, "--git-dir", sub_arg.span);
        self.git_object_model(argv, sub, rest, work_tree.as_ref(), git_dir.as_ref());
        self.git_revision_model(argv, sub, rest, work_tree.as_ref());
        // A patch `git apply`/`git am` applies has each of its files judged
        // and a link in it refused (`git_patches.rs`): it makes no link.
        let writes = writes_work_tree(sub, rest) && !super::git_patches::patch_judged(sub, rest);
        if writes_unnamed_files(sub, rest) {
            self.checked_out = Some(format!("git {sub}"));
        }
        if let Some(wt) = &work_tree {
            if writes {
                // git never checks out a `.git` entry; a work tree that is
                // a git directory or the home gets its configuration,
                // hooks and start-up files.
                self.write_tree_into(
                    wt,
                    argv,
                    &format!("git --work-tree {sub}"),
                    &[
                        "config",
                        "hooks/pre-commit",
                        ".bashrc",
                        ".ssh/authorized_keys",
                    ],
                );
            }
        }
        if writes {
            match &work_tree {
                Some(wt) => self.note_link_dir(Some(wt)),
                None => {
                    let top = self.git_work_tree().unwrap_or_default();
                    if !self.shell.link_dirs.contains(&top) {
                        self.shell.link_dirs.push(top);
                    }
                }
            }
        }
        match sub {
            "config" => self.git_config_model(argv, rest),
            "init" => {
                let ops = operands(&[
                    "--template",
                    "--separate-git-dir",
                    "-b",
                    "--initial-branch",
                    "--object-format",
                    "--shared",
                ]);
                let bare = rest.iter().any(|a| a.is("--bare"))
                    || argv[1..scan.first].iter().any(|a| a.is("--bare"));
                // Without a directory, `git init --bare` (or `git --bare
                // init`) makes the working directory (or `-C`'s) the
                // repository.
                // `git -C DIR` moved the analysis there already.
                // `git --git-dir=DIR init` makes DIR the repository.
                for (opt, idx, inline) in &scan.opts {
                    if opt != "--git-dir" {
                        continue;
                    }
                    let d = match (idx, inline) {
                        (Some(i), _) => argv.get(*i).cloned(),
                        (None, Some(v)) => Some(Arg::literal(v, sub_arg.span)),
                        _ => None,
                    };
                    self.note_git_dir(
                        &d.unwrap_or_else(|| Arg::dynamic("$unknown", sub_arg.span)),
                        true,
                        argv,
                    );
                }
                if ops.is_empty() {
                    let here = Arg::literal(".", sub_arg.span);
                    if bare {
                        self.note_git_dir(&here, true, argv);
                    }
                    self.check_file(&here, Write, argv, "git init");
                }
                // A tree copied from there later holds the new `.git`.
                for d in ops
                    .iter()
                    .map(|d| (d.lit(), d.home))
                    .chain(ops.is_empty().then_some((Some("."), false)))
                {
                    let made =
                        d.0.and_then(|v| self.resolve(v, d.1))
                            .map(|p| super::rules::normalize_path(&p))
                            .unwrap_or_default();
                    if self.shell.repos_made.len() < 64 && !self.shell.repos_made.contains(&made) {
                        self.shell.repos_made.push(made);
                    }
                }
                for d in ops {
                    self.check_work_tree_in_git_dir(&d, argv, "git init");
                    if bare {
                        self.note_git_dir(&d, true, argv);
                    }
                    self.check_file(&d, Write, argv, "git init");
                }
            }
            "clone" => {
                let ops = operands(&[
                    "-b",
                    "--branch",
                    "-o",
                    "--origin",
                    "--depth",
                    "--reference",
                    "-c",
                    "--config",
                    "--template",
                    "-u",
                    "--upload-pack",
                    "--separate-git-dir",
                    "--filter",
                    "-j",
                    "--jobs",
                    "--shallow-since",
                    "--shallow-exclude",
                    "--reference-if-able",
                    "--server-option",
                    "--bundle-uri",
                    "--ref-format",
                    "--revision",
                    "--object-format",
                ]);
                // The directory: the operand, or the last part of the URL.
                let dest = ops
                    .get(1)
                    .and_then(|d| d.lit())
                    .map(str::to_string)
                    .or_else(|| {
                        let url = ops.first()?.lit()?.trim_end_matches('/');
                        let last = url.rsplit(['/', ':']).next()?;
                        Some(last.strip_suffix(".git").unwrap_or(last).to_string())
                    });
                if let Some(d) = &dest {
                    let a = Arg::literal(d, sub_arg.span);
                    self.check_work_tree_in_git_dir(&a, argv, "git clone");
                }
                let dest = dest.and_then(|d| self.resolve(&d, false));
                let dest = dest
                    .map(|d| super::rules::normalize_path(&d))
                    .unwrap_or_default();
                self.shell.cloned.push(dest.clone());
                // The clone checks out its tracked links below it.
                self.shell.link_dirs.push(dest);
                if let Some(d) = ops.get(1) {
                    if rest.iter().any(|a| a.is("--bare") || a.is("--mirror")) {
                        self.note_git_dir(d, true, argv);
                    }
                    self.check_file(d, Write, argv, "git clone");
                }
            }
            "worktree" => self.check_worktree(argv, rest),
            // `git submodule add [OPTIONS] URL [PATH]`: the submodule's
            // repository is cloned to PATH (or the URL's last part).
            "submodule" if rest.first().is_some_and(|a| a.is("add")) => {
                let mut ops: Vec<&Arg> = Vec::new();
                let mut k = 1;
                let mut ended = false;
                while k < rest.len() {
                    let a = &rest[k];
                    k += 1;
                    match a.lit() {
                        Some("--") if !ended => ended = true,
                        Some("-b" | "--branch" | "--name" | "--reference" | "--depth")
                            if !ended =>
                        {
                            k += 1
                        }
                        Some(v) if !ended && v.starts_with('-') && v.len() > 1 => {}
                        _ => ops.push(a),
                    }
                }
                let path = ops
                    .get(1)
                    .and_then(|d| d.lit())
                    .map(str::to_string)
                    .or_else(|| {
                        let url = ops.first()?.lit()?.trim_end_matches('/');
                        let last = url.rsplit(['/', ':']).next()?;
                        Some(last.strip_suffix(".git").unwrap_or(last).to_string())
                    });
                if let Some(p) = path {
                    let a = Arg::literal(&p, sub_arg.span);
                    self.check_work_tree_in_git_dir(&a, argv, "git submodule add");
                }
            }
            _ if READS_PATHS.contains(&sub) => {
                for a in operands(READS_WITH_ARG) {
                    if a.lit()
                        .is_some_and(|v| v.contains("..") && !v.contains('/'))
                    {
                        continue;
                    }
                    self.check_file(&a, Read, argv, &format!("git {sub}"));
                }
            }
            _ => {}
        }
    }

    /// A pathspec operand of a subcommand that reads or writes the named
    /// working-tree files: a literal one naming a blocked or protected
    /// entry is refused; a pattern (`*.env`, `:(glob)…`, `:/…`) may match
    /// any entry below its directory, so one with a blocked entry there is
    /// not modelled. git refuses a pathspec beyond a link, so the name is
    /// judged as written.
    pub(crate) fn check_pathspec_pub(
        &mut self,
        a: &Arg,
        op: FileOperation,
        argv: &[Arg],
        sub: &str,
    ) {
        self.check_pathspec(a, op, argv, sub);
    }

    fn check_pathspec(&mut self, a: &Arg, op: FileOperation, argv: &[Arg], sub: &str) {
        // An unquoted pattern is expanded by bash before git runs (`.e*`
        // is `.env`): each name it expands to now is the pathspec. With no
        // match bash passes the word on, and git matches it as a pattern.
        if a.glob.is_some() {
            match self.glob_matches(a) {
                Some(Ok(paths)) if !paths.is_empty() => {
                    for p in paths {
                        let mut m = Arg::literal(&p, a.span);
                        m.home = a.home;
                        self.check_pathspec(&m, op, argv, sub);
                    }
                    return;
                }
                Some(Err(why)) => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("git {sub}: {why}"),
                        a.span,
                        argv,
                    );
                    return;
                }
                _ => {}
            }
        }
        let Some(v) = a.lit().or(a.pattern.as_deref()) else {
            return;
        };
        let magic = v.starts_with(':');
        if magic || v.contains(['*', '?', '[']) {
            let body = if magic {
                // `:(top)x`, `:/x`, `:!x` (with only exclusions git takes
                // the whole tree): the top of the working tree, wherever
                // git runs (`-C` moved the analysis); `:(glob)x`: where git
                // runs (the top when it climbs with `..`).
                match magic_leaves_cwd(v)
                    .then(|| self.git_top(".", false))
                    .flatten()
                {
                    Some(top) => top,
                    None => ".".to_string(),
                }
            } else {
                let lit = &v[..v.find(['*', '?', '[']).unwrap_or(v.len())];
                match lit.rfind('/') {
                    Some(i) => lit[..=i].to_string(),
                    None => ".".to_string(),
                }
            };
            let rule = self
                .resolve(&body, false)
                .and_then(|d| self.fs.blocked_below(&d));
            if let Some(rule) = rule {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "git {sub} {}: a pathspec pattern may match the blocked entries below it ({rule})",
                        super::normalize::clip(v)
                    ),
                    a.span,
                    argv,
                );
            }
            return;
        }
        let Some(path) = self.resolve(v, a.home) else {
            return;
        };
        // `add`, `stash -u`, `grep --untracked` take every file below a
        // directory, untracked ones too.
        if matches!(sub, "add" | "stash" | "grep") {
            if let Some(rule) = self.fs.blocked_below(&path) {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "git {sub} {}: the pathspec takes the files below it, and a blocked entry is there ({rule})",
                        super::normalize::clip(v)
                    ),
                    a.span,
                    argv,
                );
                return;
            }
        }
        // `log -p`, `archive`, `show REV -- DIR` print every committed file
        // below a directory: the path itself is judged first.
        let prints = super::git_objects::prints_content(sub);
        let d = self.fs_check(&FileRequest::new(&path, op));
        if !d.is_allowed()
            && matches!(
                d.code,
                DecisionCode::BlockedPath | DecisionCode::ProtectedPath
            )
        {
            self.finding(
                Verdict::Deny,
                DecisionCode::FileAccessDenied,
                format!(
                    "git {sub}: the pathspec {} names a file the filesystem policy refuses ({}: {})",
                    super::normalize::clip(v),
                    d.code,
                    d.reason
                ),
                a.span,
                argv,
                d.rule.clone(),
            );
            return;
        }
        if prints {
            if let Some(rule) = self.fs.blocked_below(&path) {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "git {sub} {}: the command prints the committed files below it, and a blocked entry is there ({rule})",
                        super::normalize::clip(v)
                    ),
                    a.span,
                    argv,
                );
            }
        }
    }

    /// `git config`: only the repository's own file, only inert keys set.
    fn git_config_model(&mut self, argv: &[Arg], rest: &[Arg]) {
        let mut reading = false;
        let mut other_file = None;
        for a in rest {
            let Some(v) = a.lit() else { continue };
            if matches!(v, "get" | "list") || config_option(v).is_some_and(|o| o.query) {
                reading = true;
            }
            let name = v.split('=').next().unwrap_or(v);
            let known = config_option(name);
            if v.starts_with('-') && !known.is_some_and(|o| o.modelled) {
                if known.is_some_and(|o| o.other_file) {
                    other_file = Some(a.clone());
                } else {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("git config {v} is not an option the analysis models"),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        }
        if let Some(a) = other_file.filter(|_| !reading) {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "git config {} writes configuration outside the repository's own file",
                    a.shown()
                ),
                a.span,
                argv,
            );
            return;
        }
        if reading {
            return;
        }
        let ops: Vec<&Arg> = rest
            .iter()
            .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
            .collect();
        let ops: &[&Arg] = match ops.first().and_then(|a| a.lit()) {
            Some("set" | "unset") => &ops[1..],
            _ => &ops,
        };
        if let Some(key) = ops.first() {
            let remote_key = key.lit().is_some_and(|k| {
                let k = k.to_ascii_lowercase();
                k.starts_with("branch.") && k.ends_with(".remote")
            });
            // Without a value the key is read or removed.
            let inert_value = ops.get(1).is_none_or(|a| inert_remote_name(a.lit()));
            match key.lit() {
                Some(k) if inert_key(k) => {}
                Some(_) if remote_key && inert_value => {}
                _ => self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "git config {}: only keys known to be inert (user.name, user.email, color.*, …) are modelled; others can run programs or read files",
                        key.shown()
                    ),
                    key.span,
                    argv,
                ),
            }
        }
    }
}

/// Whether a pathspec's magic names the top of the working tree: the
/// short form `:/` (with `!`/`^` among its signs) or `top` in the long form
/// `:(top,…)`.
pub(crate) fn top_magic(spec: &str) -> bool {
    magic_has(spec, '/', "top")
}

/// Whether a pathspec's magic reaches beyond the directory git runs in:
/// top-of-tree magic, a pattern that climbs (`:(glob)../*`), or exclude
/// magic (`:!x`, `:(exclude)x`): with only exclusions, `add` and `stash`
/// take the whole working tree minus them.
pub(crate) fn magic_leaves_cwd(spec: &str) -> bool {
    top_magic(spec) || magic_has(spec, '!', "exclude") || magic_has(spec, '^', "exclude") || {
        spec.starts_with(':') && spec.contains("..")
    }
}

/// Whether the magic of `spec` has the short sign `sign` or the long word
/// `word`.
fn magic_has(spec: &str, sign: char, word: &str) -> bool {
    let Some(m) = spec.strip_prefix(':') else {
        return false;
    };
    if let Some(long) = m.strip_prefix('(') {
        let words = long.split(')').next().unwrap_or_default();
        return words.split(',').any(|w| w.trim() == word);
    }
    m.chars()
        .take_while(|c| matches!(c, '/' | '!' | '^'))
        .any(|c| c == sign)
}

impl Analyzer<'_> {
    /// `git config --includes` with a file (`-f`, `--file`) or a blob
    /// (`--blob`): git follows `[include]`/`[includeIf]` paths in that
    /// file, relative to it or absolute, and prints what the included
    /// files hold. A file whose content is seen and holds no include is
    /// modelled; a blob, standard input, a file written earlier in the
    /// command or one that holds includes is not. False when it asked.
    pub(crate) fn git_config_includes(&mut self, argv: &[Arg], rest: &[Arg]) -> bool {
        let mut includes = false;
        let mut files: Vec<Arg> = Vec::new();
        let mut blob: Option<&Arg> = None;
        let mut i = 0;
        while let Some(a) = rest.get(i) {
            i += 1;
            let Some(v) = a.lit() else { continue };
            match v {
                "--includes" => includes = true,
                "--no-includes" => includes = false,
                "-f" | "--file" => files.extend(rest.get(i).cloned()),
                "--blob" => blob = rest.get(i),
                "--" => break,
                _ => {
                    if let Some(x) = v.strip_prefix("--file=") {
                        files.push(Arg::literal(x, a.span));
                    } else if v.starts_with("--blob=") {
                        blob = Some(a);
                    } else if let Some(x) = v
                        .strip_prefix("-f")
                        .filter(|x| !x.is_empty() && !v.starts_with("--"))
                    {
                        files.push(Arg::literal(x, a.span));
                    }
                }
            }
        }
        if !includes {
            return true;
        }
        if let Some(b) = blob {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "git config --includes --blob {}: the blob's include paths name further files git reads, and its content is not seen",
                    b.shown()
                ),
                b.span,
                argv,
            );
            return false;
        }
        for f in files {
            let why = match f.lit() {
                None => Some("the file is computed at run time"),
                Some("-") => Some("standard input is read"),
                Some(v) if v.starts_with("/dev/") || v.starts_with("/proc/") => {
                    Some("a device or process file is read")
                }
                Some(_) if self.was_written(&f).is_some() => {
                    Some("the file was written earlier in the same command")
                }
                Some(v) => {
                    let host = self
                        .resolve(v, f.home)
                        .and_then(|r| self.fs.host_path_of(&r));
                    match host.map(std::fs::read_to_string) {
                        None => Some("the file cannot be located"),
                        Some(Ok(t)) if t.to_ascii_lowercase().contains("include") => {
                            Some("the file has include sections naming further files")
                        }
                        Some(Ok(_)) => None,
                        Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
                        Some(Err(_)) => Some("the file cannot be read"),
                    }
                }
            };
            if let Some(why) = why {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "git config --includes --file {}: {why}; git reads every file its include paths name",
                        f.shown()
                    ),
                    f.span,
                    argv,
                );
                return false;
            }
        }
        true
    }
}
