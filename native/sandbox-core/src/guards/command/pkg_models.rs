//! Subcommand tables of package managers (npm, pnpm, yarn, bundle,
//! composer, poetry), `cargo new`/`cargo init` paths, `git worktree`
//! subcommands, and the hosted-git shortcuts npm, pnpm and yarn fetch with
//! git (docs/commands.md, "Package managers").
//!
//! A package manager is allowed only with a subcommand the table lists as
//! working inside the project; a subcommand that writes the user's
//! configuration, a global store or prefix, the shell start-up files, runs
//! a command line of its own, or is not in the table asks
//! (`UNMODELLED_PROGRAM`).

use super::normalize::Arg;
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::Write;

/// What a subcommand does beyond the project.
enum Sub {
    /// Works in the project (installs into it, runs its scripts, reads).
    Project,
    /// Asks, with the reason.
    Asks(&'static str),
    /// `config`: reading subcommands are inert, any other writes the
    /// user's configuration.
    Config,
}

use Sub::{Asks, Config, Project};

const USER_CONFIG: &str = "writes the user's configuration file, outside the workspace";
const GLOBAL: &str = "changes the global packages, store, cache or prefix, outside the workspace";
const SHELL_CMD: &str = "runs a command line of its own in a shell";
const OPENS: &str = "starts another program (an editor or a browser)";
const REGISTRY: &str = "changes state on the package registry or the user's credentials";

/// npm 10, with its aliases and accepted misspellings.
const NPM: &[(&[&str], Sub)] = &[
    (
        &[
            "install",
            "i",
            "in",
            "ins",
            "inst",
            "insta",
            "instal",
            "isnt",
            "isnta",
            "isntal",
            "isntall",
            "add",
            "ci",
            "clean-install",
            "ic",
            "install-clean",
            "isntall-clean",
            "cit",
            "clean-install-test",
            "install-ci-test",
            "it",
            "install-test",
            "run",
            "run-script",
            "rum",
            "urn",
            "test",
            "tst",
            "t",
            "start",
            "stop",
            "restart",
            "ls",
            "list",
            "ll",
            "la",
            "outdated",
            "audit",
            "view",
            "info",
            "show",
            "v",
            "search",
            "find",
            "s",
            "se",
            "explain",
            "why",
            "fund",
            "prune",
            "dedupe",
            "ddp",
            "find-dupes",
            "update",
            "up",
            "upgrade",
            "udpate",
            "uninstall",
            "remove",
            "rm",
            "r",
            "un",
            "pack",
            "rebuild",
            "rb",
            "version",
            "help",
            "help-search",
            "prefix",
            "root",
            "query",
            "sbom",
            "diff",
            "ping",
            "doctor",
            "whoami",
            "completion",
            "exec",
            "x",
            "init",
            "create",
            "innit",
            "pkg",
            "shrinkwrap",
            "get",
        ],
        Project,
    ),
    (&["config", "c", "conf"], Config),
    (&["set"], Asks(USER_CONFIG)),
    (
        &[
            "login",
            "logout",
            "adduser",
            "add-user",
            "register",
            "signup",
            "publish",
            "unpublish",
            "deprecate",
            "dist-tag",
            "dist-tags",
            "owner",
            "author",
            "access",
            "team",
            "org",
            "profile",
            "token",
            "hook",
            "star",
            "unstar",
            "stars",
        ],
        Asks(REGISTRY),
    ),
    (&["link", "ln", "unlink", "cache", "global"], Asks(GLOBAL)),
    (&["explore"], Asks(SHELL_CMD)),
    (
        &["edit", "docs", "home", "bugs", "issues", "repo"],
        Asks(OPENS),
    ),
];

/// pnpm 9.
const PNPM: &[(&[&str], Sub)] = &[
    (
        &[
            "add",
            "install",
            "i",
            "update",
            "up",
            "upgrade",
            "remove",
            "rm",
            "uninstall",
            "un",
            "import",
            "rebuild",
            "rb",
            "prune",
            "fetch",
            "install-test",
            "it",
            "dedupe",
            "audit",
            "list",
            "ls",
            "ll",
            "la",
            "outdated",
            "why",
            "licenses",
            "run",
            "run-script",
            "test",
            "t",
            "start",
            "exec",
            "dlx",
            "create",
            "init",
            "pack",
            "root",
            "bin",
            "help",
            "recursive",
            "multi",
            "m",
            "doctor",
            "approve-builds",
            "ignored-builds",
            "sbom",
            "patch-commit",
            "patch-remove",
            "cat-file",
            "cat-index",
            "find-hash",
        ],
        Project,
    ),
    (&["config", "c"], Config),
    (
        &["setup"],
        Asks("writes PNPM_HOME and PATH lines into the shell start-up files"),
    ),
    (
        &[
            "link",
            "ln",
            "unlink",
            "store",
            "env",
            "server",
            "self-update",
            "add-global",
        ],
        Asks(GLOBAL),
    ),
    (&["publish", "login", "logout", "adduser"], Asks(REGISTRY)),
    (
        &["deploy", "patch"],
        Asks("writes a directory outside the project"),
    ),
    (&["edit", "docs", "home", "bugs", "repo"], Asks(OPENS)),
];

/// yarn 1 and yarn 2+ (berry).
const YARN: &[(&[&str], Sub)] = &[
    (
        &[
            "add",
            "install",
            "remove",
            "upgrade",
            "up",
            "upgrade-interactive",
            "run",
            "test",
            "start",
            "info",
            "list",
            "why",
            "explain",
            "outdated",
            "audit",
            "npm-audit",
            "autoclean",
            "bin",
            "check",
            "create",
            "dlx",
            "exec",
            "generate-lock-entry",
            "help",
            "import",
            "init",
            "licenses",
            "pack",
            "version",
            "versions",
            "workspace",
            "workspaces",
            "dedupe",
            "rebuild",
            "search",
            "constraints",
            "stage",
        ],
        Project,
    ),
    (&["config"], Config),
    (
        &["global", "link", "unlink", "cache", "plugin"],
        Asks(GLOBAL),
    ),
    (
        &["set", "policies"],
        Asks("downloads a yarn release that later runs in place of yarn"),
    ),
    (
        &["login", "logout", "publish", "owner", "tag", "team", "npm"],
        Asks(REGISTRY),
    ),
    (
        &["node"],
        Asks("runs node with options that are not analysed"),
    ),
    (&["patch"], Asks("writes a directory outside the project")),
];

/// bun 1. A first operand that is none of these names a file or a
/// package script bun runs (`bun app.ts`, `bun dev`): see
/// `check_pm_subcommand`.
const BUN: &[(&[&str], Sub)] = &[
    (
        &[
            "run",
            "test",
            "x",
            "install",
            "i",
            "add",
            "a",
            "remove",
            "rm",
            "update",
            "outdated",
            "audit",
            "build",
            "init",
            "info",
            "why",
            "patch",
            "patch-commit",
            "help",
            "repl",
        ],
        Project,
    ),
    (&["exec"], Asks(SHELL_CMD)),
    (&["pm", "link", "unlink"], Asks(GLOBAL)),
    (
        &["upgrade"],
        Asks("replaces the bun executable with a download, outside the workspace"),
    ),
    (
        &["completions"],
        Asks("writes completion scripts into the shell's directories, outside the workspace"),
    ),
    (&["publish"], Asks(REGISTRY)),
    (
        &["create", "c"],
        Asks("creates a project in the directory it names from a template it fetches"),
    ),
];

/// Bundler 2.
const BUNDLE: &[(&[&str], Sub)] = &[
    (
        &[
            "install", "update", "exec", "check", "list", "show", "info", "outdated", "lock",
            "add", "remove", "binstubs", "clean", "cache", "package", "pack", "doctor", "init",
            "console", "platform", "pristine", "help", "version", "licenses", "viz", "fund",
            "inject", "env", "issue",
        ],
        Project,
    ),
    (&["config"], Config),
    (&["plugin"], Asks(GLOBAL)),
    (
        &["gem"],
        Asks("creates a gem skeleton in the directory it names"),
    ),
    (&["open"], Asks(OPENS)),
];

/// Composer 2.
const COMPOSER: &[(&[&str], Sub)] = &[
    (
        &[
            "install",
            "i",
            "update",
            "u",
            "upgrade",
            "require",
            "r",
            "remove",
            "rm",
            "dump-autoload",
            "dumpautoload",
            "show",
            "info",
            "outdated",
            "validate",
            "run-script",
            "run",
            "exec",
            "check-platform-reqs",
            "audit",
            "licenses",
            "depends",
            "why",
            "prohibits",
            "why-not",
            "search",
            "suggests",
            "fund",
            "init",
            "archive",
            "diagnose",
            "status",
            "reinstall",
            "bump",
            "about",
            "help",
            "list",
        ],
        Project,
    ),
    (&["config"], Config),
    (
        &[
            "global",
            "self-update",
            "selfupdate",
            "clear-cache",
            "clearcache",
            "cc",
        ],
        Asks(GLOBAL),
    ),
    (
        &["create-project"],
        Asks("writes a directory outside the project"),
    ),
    (&["browse", "home"], Asks(OPENS)),
];

/// Poetry 1 and 2.
const POETRY: &[(&[&str], Sub)] = &[
    (
        &[
            "install", "update", "add", "remove", "lock", "show", "run", "build", "check", "init",
            "export", "search", "version", "about", "help", "list", "source", "debug", "sync",
        ],
        Project,
    ),
    (&["config"], Asks(USER_CONFIG)),
    (
        &["self", "cache", "env", "python"],
        Asks(
            "changes poetry's own environment, its cache or its virtualenvs, outside the workspace",
        ),
    ),
    (&["shell"], Asks("opens an interactive shell")),
    (&["publish"], Asks(REGISTRY)),
    (
        &["new"],
        Asks("creates a project in the directory it names"),
    ),
];

fn table(canon: &str) -> Option<&'static [(&'static [&'static str], Sub)]> {
    Some(match canon {
        "npm" => NPM,
        "pnpm" => PNPM,
        "yarn" | "yarnpkg" => YARN,
        "bundle" | "bundler" => BUNDLE,
        "composer" => COMPOSER,
        "poetry" => POETRY,
        "bun" => BUN,
        _ => return None,
    })
}

/// Why the package manager's operands (options already skipped) leave
/// the project, or `None` when its subcommand is modelled as working
/// inside it. `words` are all the literal words after the program, for
/// the options that turn a project setting global.
pub(crate) fn pm_subcommand(canon: &str, operands: &[&str], words: &[&str]) -> Option<String> {
    let tab = table(canon)?;
    let sub = *operands.first()?;
    let Some((_, kind)) = tab.iter().find(|(names, _)| names.contains(&sub)) else {
        return Some(format!(
            "{sub}: not a subcommand the analysis models; only the subcommands known to work inside the project are allowed"
        ));
    };
    let global_flag = words.iter().any(|w| {
        matches!(
            *w,
            "-g" | "--global" | "--location=global" | "--location=user"
        ) || w.starts_with("--location") && !w.ends_with("project")
    });
    match kind {
        // bun's `-g` installs into `~/.bun/install/global` and links its
        // programs into `~/.bun/bin`, first on the PATH bun's installer
        // sets.
        Project if canon == "bun" && global_flag => Some(format!("{sub} -g {GLOBAL}")),
        // `bundle clean --force` removes every system gem the project does
        // not use; `--system` installs into the system's gems.
        Project
            if matches!(canon, "bundle" | "bundler")
                && ((sub == "clean" && words.contains(&"--force"))
                    || words.contains(&"--system")) =>
        {
            Some(format!("{sub} {GLOBAL}"))
        }
        Project => None,
        Asks(why) => Some(format!("{sub} {why}")),
        Config => {
            let action = operands.get(1).copied().unwrap_or("");
            let reads = matches!(action, "get" | "list" | "ls" | "show" | "");
            // bundle and composer write the project's file only when told
            // so (`bundle config set --local`, `composer config` without
            // `-g`); npm, pnpm and yarn write the user's file.
            let local = match canon {
                "bundle" | "bundler" => words.contains(&"--local"),
                "composer" => true,
                _ => false,
            };
            if (reads || local) && !global_flag {
                None
            } else {
                Some(format!("config {action} {USER_CONFIG}"))
            }
        }
    }
}

/// A package spec npm, pnpm or yarn fetch from a git host: `github:x/y`,
/// `gitlab:`, `bitbucket:`, `gist:`, a bare `user/repo` (GitHub), or a URL
/// of a hosted git service. npm's git fetcher falls back to ssh when https
/// fails, so such a spec runs ssh.
pub(crate) fn hosted_git_spec(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    // `alias@github:x/y`: the spec after the name.
    let spec = match lower.find("@") {
        Some(at) if at > 0 && !lower.contains("://") => &lower[at + 1..],
        _ => lower.as_str(),
    };
    if [
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
        "git+",
        "git:",
        "git@",
    ]
    .iter()
    .any(|p| spec.starts_with(p))
    {
        return true;
    }
    if ["github.com", "gitlab.com", "bitbucket.org", "gist.github"]
        .iter()
        .any(|h| spec.contains(h))
    {
        return true;
    }
    github_shorthand(spec)
}

/// npm-package-arg's GitHub shorthand: `user/repo[#ref]`, not a path
/// (`./x`, `/x`, `~/x`), not a scope (`@s/x`).
fn github_shorthand(spec: &str) -> bool {
    let spec = spec.split('#').next().unwrap_or(spec);
    let Some((user, repo)) = spec.split_once('/') else {
        return false;
    };
    let bad_first = user
        .chars()
        .next()
        .is_none_or(|c| matches!(c, '@' | '%' | '/' | '.' | '-' | '~'));
    !bad_first
        && !user.contains([':', '@', '%'])
        && !user.contains(char::is_whitespace)
        && !repo.is_empty()
        && !repo.contains(['@', '/', '%'])
        && !repo.contains(char::is_whitespace)
}

/// npm, pnpm and yarn subcommands whose operands are package specs; for
/// npx-like programs every operand before the command is one.
const SPEC_SUBS: &[&str] = &[
    "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall",
    "add", "update", "up", "upgrade", "exec", "x", "dlx", "create", "init",
];

/// The hosted-git specs of a node package manager's command line.
pub(crate) fn node_hosted_specs(argv: &[Arg], canon: &str) -> Vec<Arg> {
    let npx = matches!(canon, "npx" | "pnpx" | "bunx");
    if !npx && !matches!(canon, "npm" | "pnpm" | "yarn" | "yarnpkg" | "bun") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut sub_seen = npx;
    for a in argv.iter().skip(1).take_while(|a| !a.is("--")) {
        let Some(v) = a.lit() else { continue };
        // `--package=SPEC` (npx, npm exec).
        let value = match v.split_once('=') {
            Some((n, x)) if n == "--package" || n == "-p" => x,
            _ if v.starts_with('-') => continue,
            _ => v,
        };
        if !sub_seen && !v.starts_with('-') {
            if !SPEC_SUBS.contains(&v) {
                return out;
            }
            sub_seen = true;
            continue;
        }
        if hosted_git_spec(value) {
            out.push(Arg::literal(value, a.span));
        }
    }
    out
}

impl Analyzer<'_> {
    /// The subcommand of bundle, composer or poetry by its table, and the
    /// directory of `cargo new`/`cargo init` (npm, pnpm and yarn are read
    /// with their options in `known.rs`).
    pub(crate) fn check_pm_subcommand(&mut self, argv: &[Arg], canon: &str) {
        if canon == "cargo" {
            self.check_cargo_new(argv);
            return;
        }
        if !matches!(canon, "bundle" | "bundler" | "composer" | "poetry" | "bun") {
            return;
        }
        // Global options whose value is the next word.
        const WITH_ARG: &[&str] = &[
            "-d",
            "--working-dir",
            "-C",
            "--directory",
            "-P",
            "--project",
            // bun's
            "--cwd",
            "-c",
            "--config",
            "--env-file",
            "-r",
            "--preload",
            "--filter",
            "-F",
        ];
        let mut operands = Vec::new();
        let mut words = Vec::new();
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if operands.is_empty() {
                    self.unmodelled(
                        DecisionCode::UnmodelledProgram,
                        format!(
                            "{canon}: the subcommand {} is computed at run time",
                            a.shown()
                        ),
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
            words.push(v);
            if v.starts_with('-') {
                if operands.is_empty() && WITH_ARG.contains(&v) {
                    i += 1;
                }
                continue;
            }
            operands.push(v);
        }
        if canon == "bun" && self.bun_runs_file_or_script(&operands) {
            return;
        }
        if let Some(why) = pm_subcommand(canon, &operands, &words) {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!("{canon} {why}"),
                argv[0].span,
                argv,
            );
        }
    }

    /// `bun FILE` and `bun SCRIPT` run a file or a script of the nearest
    /// `package.json`, as `bun run` does: a first operand that is no
    /// subcommand of bun's and names a file (a `/` or an extension) or
    /// such a script. Anything else may be a subcommand with no model.
    fn bun_runs_file_or_script(&self, operands: &[&str]) -> bool {
        let Some(first) = operands.first() else {
            return false;
        };
        if BUN.iter().any(|(names, _)| names.contains(first)) {
            return false;
        }
        if first.contains('/') || first.contains('.') {
            return true;
        }
        let Some(cwd) = self.host_cwd() else {
            return false;
        };
        let Some(manifest) = cwd
            .ancestors()
            .map(|d| d.join("package.json"))
            .find(|f| f.exists())
        else {
            return false;
        };
        std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|v| v.get("scripts").and_then(|s| s.get(*first)).is_some())
    }

    /// `cargo new PATH`, `cargo init PATH`: the directory is created and
    /// written (a manifest, sources, a `.gitignore`, a git repository).
    pub(crate) fn check_cargo_new(&mut self, argv: &[Arg]) {
        let mut i = 1;
        let mut sub = None;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                if sub.is_some() {
                    for d in &argv[i..] {
                        self.check_file(d, Write, argv, "cargo new");
                    }
                }
                return;
            }
            if v.starts_with('-') {
                const WITH_ARG: &[&str] = &[
                    "--vcs",
                    "--name",
                    "--edition",
                    "--registry",
                    "--color",
                    "--config",
                    "-Z",
                    "--manifest-path",
                    "--lockfile-path",
                ];
                if !v.contains('=') && WITH_ARG.contains(&v) {
                    i += 1;
                }
                continue;
            }
            if v.starts_with('+') && sub.is_none() {
                if !super::project::plain_toolchain(&v[1..]) {
                    self.unmodelled(
                        DecisionCode::UnmodelledProgram,
                        format!(
                            "cargo {}: a toolchain given as a path makes rustup run a program from it, which is not analysed",
                            super::normalize::clip(v)
                        ),
                        a.span,
                        argv,
                    );
                    return;
                }
                continue;
            }
            match sub {
                None if matches!(v, "new" | "init") => sub = Some(v),
                None => return,
                Some(s) => self.check_file(a, Write, argv, &format!("cargo {s}")),
            }
        }
    }

    /// `git worktree …` after `worktree` (`rest[0]` is its subcommand):
    /// `move SRC DST` deletes SRC and writes DST, `remove PATH` deletes
    /// the worktree (with its untracked files under `--force`), `repair
    /// PATH…` rewrites each worktree's `.git` file; an unknown subcommand
    /// asks.
    pub(crate) fn check_worktree(&mut self, argv: &[Arg], rest: &[Arg]) {
        let Some(first) = rest.first() else { return };
        let Some(sub) = first.lit() else {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                "git worktree: the subcommand is computed at run time".to_string(),
                first.span,
                argv,
            );
            return;
        };
        let with_arg: &[&str] = match sub {
            "add" => &["-b", "-B", "--reason"],
            "lock" => &["--reason"],
            "prune" => &["--expire"],
            "list" | "move" | "remove" | "repair" | "unlock" => &[],
            _ => {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!(
                        "git worktree {}: not a worktree subcommand the analysis models",
                        super::normalize::clip(sub)
                    ),
                    first.span,
                    argv,
                );
                return;
            }
        };
        let mut ops = Vec::new();
        let mut i = 1;
        let mut options_end = false;
        while i < rest.len() {
            let a = &rest[i];
            i += 1;
            match a.lit() {
                Some("--") if !options_end => options_end = true,
                Some(v) if !options_end && v.starts_with('-') && v.len() > 1 => {
                    if with_arg.contains(&v) {
                        i += 1;
                    }
                }
                _ => ops.push(a),
            }
        }
        let via = format!("git worktree {sub}");
        match sub {
            "add" => {
                if let Some(d) = ops.first() {
                    self.check_work_tree_in_git_dir(d, argv, &via);
                    self.check_file(d, Write, argv, &via);
                    // Checked out there: tracked links among the files.
                    self.note_link_dir(Some(d));
                }
            }
            "move" | "remove" | "repair" => {
                for d in &ops {
                    self.check_file(d, Write, argv, &via);
                }
                // A moved working tree keeps its checked-out links.
                if let ("move", Some(d)) = (sub, ops.get(1)) {
                    self.note_link_dir(Some(d));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosted_specs() {
        for s in [
            "github:x/y",
            "x/y",
            "x/y#main",
            "gitlab:x/y",
            "bitbucket:x/y",
            "gist:abc",
            "git+https://github.com/x/y.git",
            "https://github.com/x/y",
            "alias@github:x/y",
            "git://example.com/x.git",
        ] {
            assert!(hosted_git_spec(s), "{s}");
        }
        for s in [
            "react",
            "@types/node",
            "./x/y",
            "../x",
            "/x/y",
            "~/x/y",
            "lodash@4",
            "x",
        ] {
            assert!(!hosted_git_spec(s), "{s}");
        }
    }

    #[test]
    fn subcommand_tables() {
        assert_eq!(pm_subcommand("npm", &["install"], &["install"]), None);
        assert_eq!(pm_subcommand("npm", &["config", "get", "x"], &[]), None);
        assert!(pm_subcommand("npm", &["set", "x=y"], &[]).is_some());
        assert!(pm_subcommand("npm", &["conf", "set", "x"], &[]).is_some());
        assert!(pm_subcommand("npm", &["frobnicate"], &[]).is_some());
        assert!(pm_subcommand("pnpm", &["setup"], &[]).is_some());
        assert!(pm_subcommand("yarn", &["set", "version", "x"], &[]).is_some());
        assert!(pm_subcommand("bundle", &["config", "set", "path", "x"], &[]).is_some());
        assert_eq!(
            pm_subcommand(
                "bundle",
                &["config", "set", "path", "x"],
                &["config", "set", "--local", "path", "x"]
            ),
            None
        );
        assert!(pm_subcommand("composer", &["config", "x", "y"], &["config", "-g"]).is_some());
        assert_eq!(pm_subcommand("composer", &["config", "x", "y"], &[]), None);
        assert!(pm_subcommand("poetry", &["self", "add", "x"], &[]).is_some());
        assert_eq!(pm_subcommand("poetry", &["install"], &[]), None);
    }
}
