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
use crate::guards::filesystem::FileOperation::{Read, Write};

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
        || (k.starts_with("branch.")
            && (k.ends_with(".remote") || k.ends_with(".merge") || k.ends_with(".rebase")))
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

impl Analyzer<'_> {
    /// The git model of one git command line.
    pub(crate) fn check_git_model(&mut self, argv: &[Arg]) {
        let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
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
        self.git_fetch_model(argv, sub, rest);
        // Options that name a file read or written, in any subcommand.
        for (k, a) in rest.iter().enumerate() {
            let Some(v) = a.lit() else { continue };
            let next = rest.get(k + 1);
            let value = |name: &str| -> Option<Arg> {
                if v == name {
                    next.cloned()
                } else {
                    v.strip_prefix(&format!("{name}="))
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
            if matches!(sub, "init" | "clone") {
                if let Some(d) = value("--separate-git-dir") {
                    self.check_file(&d, Write, argv, "git --separate-git-dir");
                    self.note_git_dir(&d);
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
                if ops.is_empty() && bare {
                    let mut here = Arg::literal(".", sub_arg.span);
                    for (opt, idx, inline) in &scan.opts {
                        if opt == "-C" {
                            let v = match (idx, inline) {
                                (Some(i), _) => argv.get(*i).and_then(|a| a.lit()),
                                (None, Some(v)) => Some(v.as_str()),
                                _ => None,
                            };
                            here = match (here.lit(), v) {
                                (Some(h), Some(v)) if !v.starts_with('/') => {
                                    Arg::literal(&format!("{h}/{v}"), sub_arg.span)
                                }
                                (Some(_), Some(v)) => Arg::literal(v, sub_arg.span),
                                _ => Arg::dynamic("$unknown", sub_arg.span),
                            };
                        }
                    }
                    self.note_git_dir(&here);
                }
                for d in ops {
                    self.check_file(&d, Write, argv, "git init");
                    if bare {
                        self.note_git_dir(&d);
                    }
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
                let dest = dest.and_then(|d| self.resolve(&d, false));
                self.shell.cloned.push(
                    dest.map(|d| super::rules::normalize_path(&d))
                        .unwrap_or_default(),
                );
                if let Some(d) = ops.get(1) {
                    self.check_file(d, Write, argv, "git clone");
                    if rest.iter().any(|a| a.is("--bare") || a.is("--mirror")) {
                        self.note_git_dir(d);
                    }
                }
            }
            "worktree" => self.check_worktree(argv, rest),
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
            match key.lit() {
                Some(k) if inert_key(k) => {}
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
