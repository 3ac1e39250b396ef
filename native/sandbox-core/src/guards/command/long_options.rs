//! Long options read as the tool reads them. GNU getopt_long and git's
//! parse-options accept any unambiguous prefix of a long option
//! (`grep --deref` is `--dereference-recursive`, `git add --pathspec-fr=`
//! is `--pathspec-from-file=`), so comparing option words by their exact
//! spelling misses them. Before any model looks at a command, each long
//! option word of a tool listed here is resolved against the tool's table:
//! an exact name stays, a prefix of exactly one name is rewritten to that
//! name (the value after `=` kept), and a prefix of several is not
//! modelled. For tools whose table is complete an unknown long option is
//! not modelled either; the other tables list every option that changes
//! which files are touched or which programs run, with the options that
//! share a prefix with them, so that a unique prefix among them is the one
//! the tool takes (or one it refuses as ambiguous).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;

/// How an option word resolves against a table of long option names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Long {
    /// The word names this option, exactly or by a unique prefix.
    Option(&'static str),
    /// A prefix of several options.
    Ambiguous(Vec<&'static str>),
    /// No option of the table.
    Unknown,
}

/// Resolve the long option name `name` (with its leading `--`, without
/// `=value`) against `table` (names without `--`), as getopt_long does.
pub(crate) fn resolve(name: &str, table: &[&'static str]) -> Long {
    let Some(n) = name.strip_prefix("--") else {
        return Long::Unknown;
    };
    if n.is_empty() {
        return Long::Unknown;
    }
    if let Some(exact) = table.iter().find(|o| **o == n) {
        return Long::Option(exact);
    }
    let found: Vec<&'static str> = table.iter().copied().filter(|o| o.starts_with(n)).collect();
    match found.len() {
        0 => Long::Unknown,
        1 => Long::Option(found[0]),
        _ => Long::Ambiguous(found),
    }
}

/// `(tools, table is complete, long options)`.
type ToolTable = (&'static [&'static str], bool, &'static [&'static str]);

static TOOLS: &[ToolTable] = &[
    (
        &["grep", "egrep", "fgrep"],
        true,
        &[
            "after-context",
            "basic-regexp",
            "before-context",
            "binary",
            "binary-files",
            "byte-offset",
            "color",
            "colour",
            "context",
            "count",
            "dereference-recursive",
            "devices",
            "directories",
            "exclude",
            "exclude-dir",
            "exclude-from",
            "extended-regexp",
            "file",
            "files-with-matches",
            "files-without-match",
            "fixed-strings",
            "help",
            "ignore-case",
            "include",
            "initial-tab",
            "invert-match",
            "label",
            "line-buffered",
            "line-number",
            "line-regexp",
            "max-count",
            "no-filename",
            "no-ignore-case",
            "no-messages",
            "null",
            "null-data",
            "only-matching",
            "perl-regexp",
            "quiet",
            "recursive",
            "regexp",
            "silent",
            "text",
            "unix-byte-offsets",
            "version",
            "with-filename",
            "word-regexp",
        ],
    ),
    (
        &["ls"],
        true,
        &[
            "all",
            "almost-all",
            "author",
            "block-size",
            "classify",
            "color",
            "context",
            "dereference",
            "dereference-command-line",
            "dereference-command-line-symlink-to-dir",
            "directory",
            "dired",
            "escape",
            "file-type",
            "format",
            "full-time",
            "group-directories-first",
            "help",
            "hide",
            "hide-control-chars",
            "human-readable",
            "hyperlink",
            "ignore",
            "ignore-backups",
            "indicator-style",
            "inode",
            "kibibytes",
            "literal",
            "no-group",
            "numeric-uid-gid",
            "quote-name",
            "quoting-style",
            "recursive",
            "reverse",
            "show-control-chars",
            "si",
            "size",
            "sort",
            "tabsize",
            "time",
            "time-style",
            "version",
            "width",
            "zero",
        ],
    ),
    (
        &["cp"],
        true,
        &[
            "archive",
            "attributes-only",
            "backup",
            "context",
            "copy-contents",
            "debug",
            "dereference",
            "force",
            "help",
            "interactive",
            "keep-directory-symlink",
            "link",
            "no-clobber",
            "no-dereference",
            "no-preserve",
            "no-target-directory",
            "one-file-system",
            "parents",
            "preserve",
            "recursive",
            "reflink",
            "remove-destination",
            "sparse",
            "strip-trailing-slashes",
            "suffix",
            "symbolic-link",
            "target-directory",
            "update",
            "verbose",
            "version",
        ],
    ),
    (
        &["mv"],
        true,
        &[
            "backup",
            "context",
            "debug",
            "exchange",
            "force",
            "help",
            "interactive",
            "no-clobber",
            "no-copy",
            "no-target-directory",
            "strip-trailing-slashes",
            "suffix",
            "target-directory",
            "update",
            "verbose",
            "version",
        ],
    ),
    (
        // GNU diffutils 3.8, every long option.
        &["diff"],
        true,
        &[
            "binary",
            "brief",
            "changed-group-format",
            "color",
            "context",
            "ed",
            "exclude",
            "exclude-from",
            "expand-tabs",
            "forward-ed",
            "from-file",
            "help",
            "horizon-lines",
            "ifdef",
            "ignore-all-space",
            "ignore-blank-lines",
            "ignore-case",
            "ignore-file-name-case",
            "ignore-matching-lines",
            "ignore-space-change",
            "ignore-tab-expansion",
            "ignore-trailing-space",
            "initial-tab",
            "label",
            "left-column",
            "line-format",
            "minimal",
            "new-file",
            "new-group-format",
            "new-line-format",
            "no-dereference",
            "no-ignore-file-name-case",
            "normal",
            "old-group-format",
            "old-line-format",
            "paginate",
            "palette",
            "rcs",
            "recursive",
            "report-identical-files",
            "sdiff-merge-assist",
            "show-c-function",
            "show-function-line",
            "side-by-side",
            "speed-large-files",
            "starting-file",
            "strip-trailing-cr",
            "suppress-blank-empty",
            "suppress-common-lines",
            "tabsize",
            "text",
            "to-file",
            "unchanged-group-format",
            "unchanged-line-format",
            "unidirectional-new-file",
            "unified",
            "version",
            "width",
        ],
    ),
    (
        &["du"],
        true,
        &[
            "all",
            "apparent-size",
            "block-size",
            "bytes",
            "count-links",
            "dereference",
            "dereference-args",
            "exclude",
            "exclude-from",
            "files0-from",
            "help",
            "human-readable",
            "inodes",
            "kibibytes",
            "max-depth",
            "no-dereference",
            "null",
            "one-file-system",
            "separate-dirs",
            "si",
            "summarize",
            "threshold",
            "time",
            "time-style",
            "total",
            "version",
        ],
    ),
    (
        &["chmod", "chown", "chgrp"],
        true,
        &[
            "changes",
            "dereference",
            "from",
            "help",
            "no-dereference",
            "no-preserve-root",
            "preserve-root",
            "quiet",
            "recursive",
            "reference",
            "silent",
            "verbose",
            "version",
        ],
    ),
    (
        &["tar", "gtar"],
        false,
        // Every long option of GNU tar 1.34 (`tar --usage`): a prefix
        // resolves as tar resolves it (`--no-anch` is `--no-anchored`).
        &[
            "absolute-names",
            "acls",
            "add-file",
            "after-date",
            "anchored",
            "append",
            "atime-preserve",
            "auto-compress",
            "backup",
            "block-number",
            "blocking-factor",
            "bzip2",
            "catenate",
            "check-device",
            "check-links",
            "checkpoint",
            "checkpoint-action",
            "clamp-mtime",
            "compare",
            "compress",
            "concatenate",
            "confirmation",
            "create",
            "delay-directory-restore",
            "delete",
            "dereference",
            "diff",
            "directory",
            "exclude",
            "exclude-backups",
            "exclude-caches",
            "exclude-caches-all",
            "exclude-caches-under",
            "exclude-from",
            "exclude-ignore",
            "exclude-ignore-recursive",
            "exclude-tag",
            "exclude-tag-all",
            "exclude-tag-under",
            "exclude-vcs",
            "exclude-vcs-ignores",
            "extract",
            "file",
            "files-from",
            "force-local",
            "format",
            "full-time",
            "get",
            "group",
            "group-map",
            "gunzip",
            "gzip",
            "hard-dereference",
            "help",
            "hole-detection",
            "ignore-case",
            "ignore-command-error",
            "ignore-failed-read",
            "ignore-zeros",
            "incremental",
            "index-file",
            "info-script",
            "interactive",
            "keep-directory-symlink",
            "keep-newer-files",
            "keep-old-files",
            "label",
            "level",
            "list",
            "listed-incremental",
            "lzip",
            "lzma",
            "lzop",
            "mode",
            "mtime",
            "multi-volume",
            "new-volume-script",
            "newer",
            "newer-mtime",
            "no-acls",
            "no-anchored",
            "no-auto-compress",
            "no-check-device",
            "no-delay-directory-restore",
            "no-ignore-case",
            "no-ignore-command-error",
            "no-null",
            "no-overwrite-dir",
            "no-quote-chars",
            "no-recursion",
            "no-same-owner",
            "no-same-permissions",
            "no-seek",
            "no-selinux",
            "no-unquote",
            "no-verbatim-files-from",
            "no-wildcards",
            "no-wildcards-match-slash",
            "no-xattrs",
            "null",
            "numeric-owner",
            "occurrence",
            "old-archive",
            "one-file-system",
            "one-top-level",
            "overwrite",
            "overwrite-dir",
            "owner",
            "owner-map",
            "pax-option",
            "portability",
            "posix",
            "preserve-order",
            "preserve-permissions",
            "quote-chars",
            "quoting-style",
            "read-full-records",
            "record-size",
            "recursion",
            "recursive-unlink",
            "remove-files",
            "restrict",
            "rmt-command",
            "rsh-command",
            "same-order",
            "same-owner",
            "same-permissions",
            "seek",
            "selinux",
            "show-defaults",
            "show-omitted-dirs",
            "show-snapshot-field-ranges",
            "show-stored-names",
            "show-transformed-names",
            "skip-old-files",
            "sort",
            "sparse",
            "sparse-version",
            "starting-file",
            "strip-components",
            "suffix",
            "tape-length",
            "test-label",
            "to-command",
            "to-stdout",
            "totals",
            "touch",
            "transform",
            "uncompress",
            "ungzip",
            "unlink-first",
            "unquote",
            "update",
            "usage",
            "use-compress-program",
            "utc",
            "verbatim-files-from",
            "verbose",
            "verify",
            "version",
            "volno-file",
            "warning",
            "wildcards",
            "wildcards-match-slash",
            "xattrs",
            "xattrs-exclude",
            "xattrs-include",
            "xform",
            "xz",
            "zstd",
        ],
    ),
    (
        &["rsync"],
        false,
        // Every long option of rsync 3.5 (`rsync --help`, with the daemon's):
        // `--rem` is ambiguous (`--remote-option`, `--remove-source-files`).
        &[
            "8-bit-output",
            "acls",
            "address",
            "append",
            "append-verify",
            "archive",
            "atimes",
            "backup",
            "backup-dir",
            "block-size",
            "blocking-io",
            "bwlimit",
            "cc",
            "checksum",
            "checksum-choice",
            "checksum-seed",
            "chmod",
            "chown",
            "compare-dest",
            "compress",
            "compress-choice",
            "compress-level",
            "compress-threads",
            "config",
            "confine-root",
            "contimeout",
            "copy-as",
            "copy-dest",
            "copy-devices",
            "copy-dirlinks",
            "copy-links",
            "copy-unsafe-links",
            "crtimes",
            "cvs-exclude",
            "daemon",
            "debug",
            "del",
            "delay-updates",
            "delete",
            "delete-after",
            "delete-before",
            "delete-delay",
            "delete-during",
            "delete-excluded",
            "delete-missing-args",
            "devices",
            "dirs",
            "dparam",
            "dry-run",
            "early-input",
            "exclude",
            "exclude-from",
            "executability",
            "existing",
            "fake-super",
            "files-from",
            "filter",
            "force",
            "from0",
            "fsync",
            "fuzzy",
            "group",
            "groupmap",
            "hard-links",
            "help",
            "human-readable",
            "i-r",
            "iconv",
            "ignore-errors",
            "ignore-existing",
            "ignore-missing-args",
            "ignore-non-existing",
            "ignore-times",
            "inc-recursive",
            "include",
            "include-from",
            "info",
            "inplace",
            "insecure-links",
            "ipv4",
            "ipv6",
            "itemize-changes",
            "keep-dirlinks",
            "link-dest",
            "links",
            "list-only",
            "log-file",
            "log-file-format",
            "max-alloc",
            "max-delete",
            "max-size",
            "min-size",
            "mkpath",
            "modify-window",
            "munge-links",
            "no-detach",
            "no-i-r",
            "no-implied-dirs",
            "no-inc-recursive",
            "no-motd",
            "no-whole-file",
            "numeric-ids",
            "old-args",
            "old-d",
            "old-dirs",
            "omit-dir-times",
            "omit-link-times",
            "one-file-system",
            "only-write-batch",
            "open-noatime",
            "out-format",
            "outbuf",
            "owner",
            "partial",
            "partial-dir",
            "password-file",
            "perms",
            "port",
            "preallocate",
            "progress",
            "protocol",
            "prune-empty-dirs",
            "quiet",
            "read-batch",
            "recursive",
            "relative",
            "remote-option",
            "remove-sent-files",
            "remove-source-files",
            "rsh",
            "rsync-path",
            "safe-links",
            "secluded-args",
            "size-only",
            "skip-compress",
            "sockopts",
            "sparse",
            "specials",
            "stats",
            "stderr",
            "stop-after",
            "stop-at",
            "suffix",
            "super",
            "temp-dir",
            "timeout",
            "times",
            "trust-sender",
            "update",
            "usermap",
            "verbose",
            "version",
            "whole-file",
            "write-batch",
            "write-devices",
            "xattrs",
            "zc",
            "zl",
            "zt",
        ],
    ),
    (
        &["rg"],
        false,
        &[
            "field-context-separator",
            "field-match-separator",
            "file",
            "files",
            "files-with-matches",
            "files-without-match",
            "fixed-strings",
            "follow",
            "ignore-file",
            "pre",
            "pre-glob",
        ],
    ),
];

const PATHSPEC: &[&str] = &["pathspec-file-nul", "pathspec-from-file"];

/// git subcommands and the long options that name files or programs, with
/// the options sharing a prefix with them.
static GIT: &[(&[&str], &[&str])] = &[
    (&["restore", "checkout", "rm"], PATHSPEC),
    (
        // Every long option of `git reset` (2.39): `--ha` is `--hard`,
        // `--ke` `--keep`, `--me` `--merge`, each of which writes the
        // working tree; `--m` is ambiguous.
        &["reset"],
        &[
            "hard",
            "intent-to-add",
            "keep",
            "merge",
            "mixed",
            "no-refresh",
            "patch",
            "pathspec-file-nul",
            "pathspec-from-file",
            "quiet",
            "recurse-submodules",
            "refresh",
            "soft",
        ],
    ),
    (
        &["stash"],
        &[
            "pathspec-file-nul",
            "pathspec-from-file",
            "include-untracked",
            "no-include-untracked",
            "all",
            "keep-index",
            "no-keep-index",
            "index",
            "patch",
            "staged",
            "message",
            "quiet",
        ],
    ),
    (
        &["add"],
        &[
            "pathspec-file-nul",
            "pathspec-from-file",
            "edit",
            "all",
            "force",
            "no-all",
            "no-ignore-removal",
            "ignore-removal",
            "ignore-errors",
            "ignore-missing",
            "interactive",
            "intent-to-add",
            "patch",
            "update",
            "chmod",
        ],
    ),
    (
        &["commit"],
        &[
            "pathspec-file-nul",
            "pathspec-from-file",
            "file",
            "fixup",
            "template",
            "trailer",
            "gpg-sign",
            "edit",
            "no-edit",
            "interactive",
            "include",
            "patch",
            "reedit-message",
            "reuse-message",
            "reset-author",
        ],
    ),
    (
        &["tag"],
        &[
            "file",
            "force",
            "format",
            "sign",
            "sort",
            "local-user",
            "list",
            "verify",
            "annotate",
            "edit",
            "no-edit",
        ],
    ),
    (&["notes"], &["file", "force", "format"]),
    (
        &["merge"],
        &[
            // `--cont` is `--continue`: it runs `git commit`, which edits
            // the prepared message.
            "cleanup",
            "commit",
            "continue",
            "file",
            "ff",
            "ff-only",
            "gpg-sign",
            "edit",
            "no-edit",
            "verify",
            "verify-signatures",
        ],
    ),
    // `--cont` is `--continue`, which commits with the editor
    // (git-revert(1), git-cherry-pick(1)).
    (
        &["revert", "cherry-pick"],
        &[
            "gpg-sign",
            "edit",
            "no-edit",
            "continue",
            "cleanup",
            "commit",
            "abort",
            "skip",
            "quit",
            "strategy",
            "strategy-option",
        ],
    ),
    (
        &["rebase"],
        &[
            "committer-date-is-author-date",
            "continue",
            "gpg-sign",
            "interactive",
            "exec",
            "edit-todo",
            "empty",
            "no-verify",
            "verify",
        ],
    ),
    (&["commit-tree"], &["gpg-sign"]),
    // git-am(1): `--cont`/`--res` go on with an interactive session.
    (
        &["am"],
        &[
            "gpg-sign",
            "continue",
            "resolved",
            "reject",
            "retry",
            "interactive",
            "ignore-date",
            "ignore-space-change",
            "ignore-whitespace",
            "include",
            "committer-date-is-author-date",
        ],
    ),
    (&["branch"], &["edit-description", "delete", "force"]),
    (
        &["grep"],
        &[
            "untracked",
            "no-index",
            "no-exclude-standard",
            "exclude-standard",
            "open-files-in-pager",
            "recurse-submodules",
        ],
    ),
    (
        &["clean"],
        &["force", "dry-run", "quiet", "exclude", "interactive"],
    ),
    (
        &["log", "show", "whatchanged"],
        &[
            "show-signature",
            "show-linear-break",
            "show-notes",
            "show-pulls",
        ],
    ),
    (
        &["update-index"],
        &[
            "cacheinfo",
            "chmod",
            "index-info",
            "stdin",
            "add",
            "remove",
            "force-remove",
        ],
    ),
    // `--ed` is `--edit`, `--reb=i` is `--rebase=interactive`.
    (
        &["pull"],
        &[
            "upload-pack",
            "gpg-sign",
            "edit",
            "no-edit",
            "rebase",
            "recurse-submodules",
            "refmap",
        ],
    ),
    (
        &["blame", "annotate"],
        &["contents", "ignore-rev", "ignore-revs-file", "incremental"],
    ),
    (
        &["clone"],
        &[
            "separate-git-dir",
            "server-option",
            "shallow-exclude",
            "shallow-since",
            "shallow-submodules",
            "shared",
            "single-branch",
            "sparse",
            "template",
            "upload-pack",
            "config",
            // Repositories read (`--referen` is ambiguous, `--bu` is
            // `--bundle-uri`).
            "reference",
            "reference-if-able",
            "ref-format",
            "bare",
            "branch",
            "bundle-uri",
        ],
    ),
    (&["init"], &["separate-git-dir", "shared", "template"]),
    (
        &["archive"],
        &["add-file", "add-virtual-file", "exec", "output", "remote"],
    ),
    (&["apply"], &["build-fake-ancestor", "unsafe-paths"]),
    (
        &["fetch", "ls-remote"],
        &["upload-pack", "bundle-uri", "multiple"],
    ),
    (
        &["push", "send-pack"],
        &["receive-pack", "exec", "repo", "recurse-submodules"],
    ),
    (
        &["ls-files"],
        &[
            "exclude",
            "exclude-from",
            "exclude-per-directory",
            "exclude-standard",
        ],
    ),
    (
        &["format-patch"],
        &[
            "signature",
            "signature-file",
            "signoff",
            "output-directory",
            "output",
            "output-indicator-new",
            "output-indicator-old",
            "output-indicator-context",
        ],
    ),
];

fn tool_table(canon: &str) -> Option<(bool, &'static [&'static str])> {
    TOOLS
        .iter()
        .find(|(names, _, _)| names.contains(&canon))
        .map(|(_, complete, t)| (*complete, *t))
}

fn git_table(sub: &str) -> Option<&'static [&'static str]> {
    GIT.iter()
        .find(|(subs, _)| subs.contains(&sub))
        .map(|(_, t)| *t)
}

/// `word` with its option name replaced by `--full`.
fn respelled(a: &Arg, name: &str, full: &str) -> Arg {
    let mut out = a.clone();
    let swap = |s: &str| -> String {
        match s.strip_prefix(name) {
            Some(rest) => format!("--{full}{rest}"),
            None => s.to_string(),
        }
    };
    out.value = a.value.as_deref().map(swap);
    out.prefix = swap(&a.prefix);
    out.pattern = a.pattern.as_deref().map(swap);
    out
}

impl Analyzer<'_> {
    /// Rewrite each abbreviated long option of `argv` to its full name;
    /// an ambiguous one (or, for a complete table, an unknown one) is not
    /// modelled.
    pub(crate) fn resolve_long_options(&mut self, argv: &mut [Arg], canon: &str) {
        let (from, complete, table) = if canon == "git" {
            let scan = super::wrappers::scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
            let Some(sub) = argv.get(scan.first).and_then(|a| a.lit()) else {
                return;
            };
            let Some(t) = git_table(sub) else { return };
            (scan.first + 1, false, t)
        } else {
            let Some((complete, t)) = tool_table(canon) else {
                return;
            };
            (1, complete, t)
        };
        for k in from..argv.len() {
            let Some(v) = argv[k].lit() else { continue };
            if v == "--" {
                break;
            }
            if !v.starts_with("--") || v.len() < 3 {
                continue;
            }
            let name = v.split('=').next().unwrap_or(v).to_string();
            // git's negated forms (`--no-file`) turn an option off; those
            // the table names (`--no-index`) are options of their own.
            if canon == "git"
                && name.starts_with("--no-")
                && !table
                    .iter()
                    .any(|o| o.starts_with("no-") && o.starts_with(&name[2..]))
            {
                continue;
            }
            match resolve(&name, table) {
                Long::Option(full) => {
                    if name[2..] != *full {
                        argv[k] = respelled(&argv[k], &name, full);
                    }
                }
                Long::Ambiguous(all) => {
                    let shown = clip(v);
                    let span = argv[k].span;
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "{canon} {shown}: an abbreviation of several long options (--{}); spell the option out",
                            all.join(", --")
                        ),
                        span,
                        argv,
                    );
                }
                Long::Unknown if complete => {
                    let shown = clip(v);
                    let span = argv[k].span;
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{canon} {shown}: not a long option the analysis knows for {canon}; spell the option out"),
                        span,
                        argv,
                    );
                }
                Long::Unknown => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_resolve_as_getopt_long_resolves_them() {
        let t = &["dereference", "dereference-args", "recursive", "file"];
        assert_eq!(resolve("--recu", t), Long::Option("recursive"));
        assert_eq!(resolve("--file", t), Long::Option("file"));
        assert_eq!(resolve("--f", t), Long::Option("file"));
        // An exact name wins over the longer names it is a prefix of.
        assert_eq!(resolve("--dereference", t), Long::Option("dereference"));
        assert_eq!(
            resolve("--deref", t),
            Long::Ambiguous(vec!["dereference", "dereference-args"])
        );
        assert_eq!(resolve("--x", t), Long::Unknown);
        assert_eq!(resolve("--", t), Long::Unknown);
    }

    #[test]
    fn respelling_keeps_the_value() {
        let a = Arg::literal("--pathspec-fr=/k", [0, 0]);
        let r = respelled(&a, "--pathspec-fr", "pathspec-from-file");
        assert_eq!(r.lit(), Some("--pathspec-from-file=/k"));
    }
}
