//! Judges one simple command: its assignments and redirections, then each
//! layer of its wrappers down to the command that really runs, against the
//! rules (docs/policy.md, Commands 6), the dangers (7), the filesystem (8) and the
//! environment screening (9).

use super::env;
use super::implied::Implied;
use super::limits::MAX_WRAPPERS;
use super::normalize::{clip, Arg};
use super::rules::{basename, trusted_name, Match};
use super::walk::{Analyzer, Ctx, Cwd, Redir, SimpleCmd, Stdin, Target};
use super::wrappers::{scan_options, split_assignment, unwrap, Unwrap, SHELLS};
use super::{EffectiveCommand, Redirect, Span};
use crate::decision::{DecisionCode, Verdict};
use crate::policy::CommandMode;

/// Privilege escalation commands, refused unless `allow_sudo`.
pub(crate) const SUDO_NAMES: &[&str] = &[
    "sudo", "doas", "su", "pkexec", "run0", "sudoedit", "runuser", "sudo-rs", "su-rs", "please",
    // sg runs its command with another group identity, like su.
    "sg",
];

/// Builtins whose operands are assignments.
const DECLARATIONS: &[&str] = &["export", "declare", "typeset", "local", "readonly"];

impl Analyzer<'_> {
    /// Judge a simple command.
    pub(crate) fn judge(&mut self, cmd: SimpleCmd, ctx: &Ctx) {
        self.env_assigns = cmd
            .assignments
            .iter()
            .map(|a| {
                let v = a.value.as_ref().and_then(|v| v.lit()).map(str::to_string);
                (a.name.clone(), v)
            })
            .collect();
        for a in &cmd.assignments {
            self.check_assignment(&a.name, a.value.as_ref(), a.span, &cmd.argv);
            if !cmd.argv.is_empty()
                && !super::builtins::runs_no_program(&cmd.argv[0])
                && !env::turns_history_off(&a.name, a.value.as_ref())
            {
                self.check_env_export(&a.name, a.span, &cmd.argv);
                self.check_env_value(&a.name, a.value.as_ref(), a.span, &cmd.argv);
            }
            self.check_state_var(&a.name, a.span, &cmd.argv, "=");
            self.note_assignment(
                &a.name,
                a.index.as_deref(),
                a.value.as_ref(),
                a.elements_plain,
                !cmd.argv.is_empty(),
                a.span,
            );
        }
        self.written_before = self.written.len();
        // Hard links an earlier command made are there now.
        for l in &mut self.shell.hard_links {
            l.pending = false;
        }
        let made = std::mem::take(&mut self.shell.pending_links);
        self.shell.links.extend(made);
        self.check_redirects(&cmd.redirects, &cmd.argv);
        self.check_glob_reads(&cmd.argv);
        if cmd.argv.is_empty() {
            if !cmd.redirects.is_empty() {
                self.record(&[], &cmd.redirects, cmd.span, ctx, &ctx.wrappers);
            }
            return;
        }
        let chain = ctx.wrappers.clone();
        // Only words with a plain-taken expansion or an unbounded pattern
        // give `check_expanded_globs` anything to do: the words are kept
        // for it only then.
        let later = cmd
            .argv
            .iter()
            .any(|a| a.unbounded || a.plain_names.as_ref().is_some_and(|v| !v.is_empty()));
        let argv = if later { cmd.argv.clone() } else { Vec::new() };
        let start = self.written_before;
        // `… | tee log`, `… | cat > log`, `… | grep x > log`: the file
        // holds what the stages before wrote, or whole lines of it.
        // Only as the whole stage of a pipeline, whose earlier stages are
        // known: a background job beside it is not one of them.
        let stage = self.copy_stage.take();
        let copies_stdin = stage.is_some()
            && matches!(ctx.stdin, Stdin::Pipe { .. })
            && copies_pipe_lines(&cmd.argv, &cmd.redirects);
        self.judge_layers(cmd.argv, &cmd.redirects, cmd.span, ctx, chain, None, 0);
        if let Some(range) = stage.filter(|_| copies_stdin) {
            self.stage_copied = true;
            self.pipe_copies
                .extend((start..self.written.len()).map(|i| (i, range)));
        }
        // After the command's own findings, which name it better.
        if later {
            self.check_expanded_globs(&argv);
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn judge_layers(
        &mut self,
        argv: Vec<Arg>,
        redirects: &[Redir],
        span: Span,
        ctx: &Ctx,
        chain: Vec<String>,
        covered: Option<String>,
        layers: usize,
    ) {
        let mut argv = argv;
        let mut chain = chain;
        let mut covered = covered;
        let mut layers = layers;
        // A function runs only when its name is the command word itself;
        // wrappers (`command f`, `env f`, `xargs f`) run the program.
        // A function shadows the builtin, wrapper or program of its name
        // (`command() {…}; command cd sub` runs the function): its call is
        // judged by its body, never by what the name would otherwise do.
        // Where the definition is not certain at the call (a branch, a
        // child shell, `unset`), or the name is a POSIX special builtin
        // (which a shell in POSIX mode finds before a function), either
        // may run: not modelled.
        let fn_name = argv
            .first()
            .and_then(|a| a.lit())
            .filter(|_| layers == 0)
            .map(str::to_string);
        let fn_call = fn_name.as_deref().is_some_and(|n| {
            self.is_function_call(n, &ctx.wrappers) && !super::builtins::SPECIAL.contains(&n)
        });
        if let Some(n) =
            fn_name.filter(|n| !fn_call && self.shell.defs.iter().any(|d| d.name == *n))
        {
            self.unmodelled(
                DecisionCode::UnmodelledFunction,
                format!(
                    "{} may run the function of that name defined in the command or what the name runs without it (the definition is not certain here, or the name is a special builtin that a POSIX shell finds first)",
                    clip(&n)
                ),
                argv[0].span,
                &argv,
            );
        }
        loop {
            layers += 1;
            if layers > MAX_WRAPPERS {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::CommandTooComplex,
                    format!("more than {MAX_WRAPPERS} wrappers around one command"),
                    span,
                    &argv,
                    None,
                );
                return;
            }
            let Some(name) = argv.first().and_then(|a| a.lit()).map(str::to_string) else {
                let shown = argv.first().map_or_else(String::new, |a| a.text.clone());
                let name_span = argv.first().map_or(span, |a| a.span);
                let (verdict, code, why) = match argv.first() {
                    Some(a) if a.downloads => (
                        Verdict::Deny,
                        DecisionCode::DownloadToShell,
                        "comes from the network",
                    ),
                    _ => (
                        Verdict::Deny,
                        DecisionCode::DynamicCommandName,
                        "is computed at run time; it could be any program",
                    ),
                };
                self.finding(
                    verdict,
                    code,
                    format!("the command name {} {why}", clip(&shown)),
                    name_span,
                    &argv,
                    None,
                );
                self.record(&argv, redirects, span, ctx, &chain);
                return;
            };
            if name.is_empty() {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::CommandNotAllowed,
                    "the command name is empty".to_string(),
                    argv[0].span,
                    &argv,
                    None,
                );
                return;
            }
            let name = self.program_through_links(&mut argv, name);
            let base = basename(&name).to_string();
            if super::programs::canonical(&base) == "git" {
                let scan =
                    super::wrappers::scan_options(&argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
                if let Some(sub) = argv
                    .get(scan.first)
                    .and_then(|a| a.lit())
                    .map(str::to_string)
                {
                    super::git_clusters::split_clusters(&mut argv, scan.first + 1, &sub);
                }
            }
            self.resolve_long_options(&mut argv, &super::programs::canonical(&base));
            if super::programs::canonical(&base) == "rsync" {
                self.lift_rsync_remote_options(&mut argv);
            }
            if SUDO_NAMES.contains(&base.as_str()) && !self.guard.allow_sudo {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::SudoNotAllowed,
                    format!("{base} raises privileges and allow_sudo is false"),
                    argv[0].span,
                    &argv,
                    Some("commands.allow_sudo: false".to_string()),
                );
            }
            if self.guard.mode == CommandMode::Blacklist {
                match self.guard.blocked.find(&argv) {
                    Some(Match::Exact(r)) => {
                        let rule = r.name.clone();
                        self.finding(
                            Verdict::Deny,
                            DecisionCode::BlockedCommand,
                            format!("{} matches a blocked command rule", clip(&shown(&argv))),
                            span_of(&argv, span),
                            &argv,
                            Some(rule),
                        );
                    }
                    Some(Match::Possible(r)) => {
                        let rule = r.name.clone();
                        self.finding(
                            Verdict::Ask,
                            DecisionCode::BlockedCommand,
                            format!("{} may match a blocked command rule: some of its words are computed at run time", clip(&shown(&argv))),
                            span_of(&argv, span),
                            &argv,
                            Some(rule),
                        );
                    }
                    None => {}
                }
            }
            // `git -C DIR`: git runs in DIR; its relative options and
            // operands name files there.
            let outer_cwd = if super::programs::canonical(&base) == "git" {
                self.git_chdir(&argv)
            } else {
                None
            };
            // Read once for the three checks of this layer that use them.
            let implied = super::implied::implied_programs(&argv, &base);
            self.check_implied(&argv, &base, &implied, span);
            self.check_implicit_stores(&argv, &base, &implied, span, false);
            self.check_repl_files(&argv, &base, span, &ctx.stdin);
            // A function call runs the function's body, not the name's
            // builtin or wrapper.
            let unwrapped = if fn_call && layers == 1 {
                Unwrap::None
            } else {
                unwrap(&argv)
            };
            // The whitelist is checked first on the layer that runs, so that
            // its finding leads when several apply.
            let runs_itself = match &unwrapped {
                Unwrap::None | Unwrap::NoCommand | Unwrap::Opaque { .. } => true,
                Unwrap::Argv { inners, .. } => inners.is_empty(),
                Unwrap::Stdin { .. } => {
                    !matches!(ctx.stdin, Stdin::Text { .. } | Stdin::Pipe { .. })
                }
                Unwrap::Scripts { .. } | Unwrap::RootShell { .. } => false,
            };
            // A rule naming the wrapper and what it runs covers the layers inside.
            if covered.is_none() && self.guard.mode == CommandMode::Whitelist {
                if let Unwrap::Argv { start, .. } = &unwrapped {
                    covered = self
                        .guard
                        .allowed
                        .find_longer(&argv, *start)
                        .map(|r| r.name.clone());
                    // A runner that fetches a package runs the package's
                    // entry point, not the program of that name: a rule for
                    // the program does not cover it.
                    if covered.is_none() {
                        if let Some(pkg) = super::wrappers::fetched_package(&argv, &base, *start) {
                            self.finding(
                                Verdict::Deny,
                                DecisionCode::CommandNotAllowed,
                                format!(
                                    "{} runs the entry point of the package {}, fetched from the registry when the project does not have it, not the program of that name; only a rule naming the runner and the package covers it",
                                    clip(&shown(&argv[..*start])),
                                    clip(&pkg)
                                ),
                                span_of(&argv, span),
                                &argv,
                                None,
                            );
                        }
                    }
                }
            }
            if runs_itself && covered.is_none() && self.guard.mode == CommandMode::Whitelist {
                self.check_allowed(&argv, span, fn_call && layers == 1);
            }
            if runs_itself {
                self.check_cwd_use(&argv, &base);
            }
            if !(fn_call && layers == 1) {
                self.check_shell_builtin(&argv, &base);
                self.check_builtin_options(&argv, &base);
                if matches!(base.as_str(), "test" | "[") {
                    self.check_file_tests(&argv, 1);
                }
                self.check_script_source(&argv, &base, redirects, &ctx.stdin, &chain, ctx.depth);
            }
            self.check_dangers(&argv, &base, &ctx.stdin);
            self.check_written_exec(&argv, &base, ctx, &chain);
            self.check_fetched_exec(&argv, &base);
            self.check_env_files(&argv, &base);
            self.check_make_environment(&argv, &base);
            self.check_file_operands(&argv, &base);
            self.check_curl(&argv, &base);
            self.check_computed_names(&argv, &base);
            self.check_ssh_control(&argv, &base);
            self.check_link_following(&argv, &base);
            self.check_tree_walks(&argv, &base);
            self.check_program_model(&argv, &base, &unwrapped);
            // The patch's names are judged before the git model notes that
            // applying may make links below the working tree.
            if !(fn_call && layers == 1) && super::programs::canonical(&base) == "git" {
                self.check_git_patches(&argv, &ctx.stdin);
            }
            self.check_known_program(&argv, &base, &unwrapped, fn_call && layers == 1);
            if !(fn_call && layers == 1) {
                self.check_compiler_sources(&argv, &base, &ctx.stdin);
            }
            // Stores possibly read (an ask) after the command's own
            // findings, which say more about it when they apply.
            self.check_implicit_stores(&argv, &base, &implied, span, true);
            // Links it may make are seen by the words after it.
            self.note_link_makers(&argv, &base);
            if let Some(c) = outer_cwd {
                self.cwd = c;
            }
            if DECLARATIONS.contains(&base.as_str()) {
                let exports = env::declaration_exports(&argv);
                for a in argv.iter().skip(1) {
                    if exports && !a.text.starts_with('-') {
                        let n = a.text.split('=').next().unwrap_or_default().to_string();
                        self.check_env_export(&n, a.span, &argv);
                    }
                    if let Some((n, v)) = split_assignment(a) {
                        if exports {
                            self.check_env_value(&n, Some(&v), a.span, &argv);
                        }
                        self.check_assignment(&n, Some(&v), a.span, &argv);
                    } else if a.lit().is_none() && a.text.contains('=') {
                        let n = a.text.split('=').next().unwrap_or_default().to_string();
                        self.check_assignment(&n, None, a.span, &argv);
                    }
                }
            }
            if ctx.function.as_deref() == Some(name.as_str()) {
                self.recursion.calls += 1;
                if ctx.concurrent {
                    self.recursion.concurrent = true;
                }
            }
            match unwrapped {
                Unwrap::None | Unwrap::NoCommand => {
                    self.record(&argv, redirects, span, ctx, &chain);
                    if super::dangers::is_downloader(&base) {
                        self.note_downloads(&argv, &base, redirects);
                    } else if !redirects.is_empty() {
                        // What a function writes is not what the program
                        // of its name would write.
                        let content = written_content(&argv, &base, &ctx.stdin)
                            .filter(|_| !(fn_call && layers == 1));
                        self.note_output(redirects, content);
                    }
                    if fn_call && layers == 1 {
                        self.function_called(&name, &argv, span);
                        return;
                    }
                    match base.as_str() {
                        "cd" | "pushd" => {
                            if self.guard.mode != CommandMode::Whitelist {
                                self.check_cd_metadata(&argv);
                            }
                            self.change_dir(&argv);
                            self.after_cd(&argv);
                        }
                        "popd" => self.cwd = Cwd::Unknown,
                        _ => {}
                    }
                    return;
                }
                Unwrap::Argv {
                    label,
                    inners,
                    assigns,
                    start,
                } => {
                    for (n, v) in &assigns {
                        self.check_assignment(n, Some(v), v.span, &argv);
                        if !env::turns_history_off(n, Some(v)) {
                            self.check_env_export(n, v.span, &argv);
                        }
                        self.check_env_value(n, Some(v), v.span, &argv);
                        self.env_assigns
                            .push((n.clone(), v.lit().map(str::to_string)));
                    }
                    if inners.is_empty() {
                        self.record(&argv, redirects, span, ctx, &chain);
                        return;
                    }
                    let inners = if label == "find -exec" {
                        self.found_link_inners(inners, &argv)
                    } else {
                        inners
                    };
                    if label == super::known::FIND_EXECDIR {
                        self.judge_in_match_dirs(inners, span, ctx, &chain, &covered, layers);
                        return;
                    }
                    // A wrapper that returns without waiting: what it runs
                    // may see what the rest of the line writes after it.
                    if super::wrappers::detaches(&label, &argv, start) {
                        chain.push(label);
                        let mut c = ctx.clone();
                        c.concurrent = true;
                        for inner in inners {
                            self.unordered(|a| {
                                a.judge_layers(
                                    inner,
                                    redirects,
                                    span,
                                    &c,
                                    chain.clone(),
                                    covered.clone(),
                                    layers,
                                )
                            });
                        }
                        return;
                    }
                    chain.push(label);
                    let mut inners = inners;
                    if inners.len() == 1 {
                        argv = inners.pop().unwrap_or_default();
                        continue;
                    }
                    // Each command gets the environment the wrapper gives,
                    // not what a sibling's own `env NAME=…` adds.
                    let env = self.env_assigns.clone();
                    for inner in inners {
                        self.env_assigns = env.clone();
                        self.judge_layers(
                            inner,
                            &[],
                            span,
                            ctx,
                            chain.clone(),
                            covered.clone(),
                            layers,
                        );
                    }
                    return;
                }
                Unwrap::Scripts { scripts } => {
                    for (label, script) in scripts {
                        self.wrapped_script(&label, &script, ctx, &chain, &argv);
                    }
                    return;
                }
                Unwrap::Stdin { label } => {
                    self.stdin_script(&label, &argv, ctx, &chain);
                    self.record(&argv, redirects, span, ctx, &chain);
                    return;
                }
                Unwrap::Opaque { why } => {
                    // Ask; in whitelist mode deny: what runs is not known.
                    self.unmodelled(
                        DecisionCode::UnknownWrapper,
                        format!("{base} {why}; what it runs cannot be checked"),
                        span_of(&argv, span),
                        &argv,
                    );
                    self.record(&argv, redirects, span, ctx, &chain);
                    return;
                }
                Unwrap::RootShell { label } => {
                    self.finding(
                        Verdict::Deny,
                        DecisionCode::DangerousCommand,
                        format!("{label} without a command opens an interactive shell as another user; no rule can cover it"),
                        span_of(&argv, span),
                        &argv,
                        None,
                    );
                    self.record(&argv, redirects, span, ctx, &chain);
                    return;
                }
            }
        }
    }

    /// The programs a command runs without naming them (`scp` runs `ssh`,
    /// `git commit -S` runs `gpg`) are judged by the rules like programs it
    /// names: in blacklist mode one matching a blocked rule is refused, in
    /// whitelist mode one no allowed rule covers. A certain run gets the
    /// verdict the program would get; a possible one (a remote or a
    /// setting from configuration, a computed word) asks.
    fn check_implied(&mut self, argv: &[Arg], base: &str, implied: &[Implied], span: Span) {
        let mode = self.guard.mode;
        if base == "git" {
            if let Some(t) = super::implied::unknown_diff_tool(argv) {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!(
                        "git difftool {}: not a tool git knows; its command comes from configuration (difftool.NAME.cmd) and is not analysed",
                        clip(&t.shown())
                    ),
                    t.span,
                    argv,
                );
            }
        }
        if mode == CommandMode::Unrestricted {
            return;
        }
        let helpers =
            super::tool_programs::tool_programs(argv, base, &|a: &Arg| self.archive_kind(a));
        // In a whitelist, the interpreter's rule covers the modules that
        // run the project's code; a rule naming `python3 -m MODULE` covers
        // that module.
        let module_covered = mode == CommandMode::Whitelist
            && super::implied::python_module(argv, base).is_some_and(|(at, m)| {
                super::implied::INTERPRETER_MODULES.contains(&m.as_str())
                    || self.guard.allowed.find_longer(argv, at).is_some()
            });
        for imp in implied
            .iter()
            .filter(|imp| !(module_covered && imp.why == super::implied::PYTHON_MODULE))
            .chain(&helpers)
        {
            let how = if imp.certain { "runs" } else { "may run" };
            let refused = if imp.certain {
                Verdict::Deny
            } else {
                Verdict::Ask
            };
            let (verdict, code, rule, what) = if mode == CommandMode::Blacklist {
                match self.guard.blocked.find(&imp.argv) {
                    Some(Match::Exact(r)) => (
                        refused,
                        DecisionCode::BlockedCommand,
                        Some(r.name.clone()),
                        "which matches a blocked command rule",
                    ),
                    Some(Match::Possible(r)) => (
                        Verdict::Ask,
                        DecisionCode::BlockedCommand,
                        Some(r.name.clone()),
                        "which matches a blocked command rule",
                    ),
                    None => continue,
                }
            } else {
                match self.guard.allowed.find(&imp.argv) {
                    Some(Match::Exact(_)) => continue,
                    Some(Match::Possible(r)) => (
                        Verdict::Ask,
                        DecisionCode::CommandNotAllowed,
                        Some(r.name.clone()),
                        "which may not match the allowed command rule (its words are computed at run time)",
                    ),
                    None => (
                        refused,
                        DecisionCode::CommandNotAllowed,
                        None,
                        "which matches no allowed command: add a rule for it or leave out what makes it run",
                    ),
                }
            };
            self.finding(
                verdict,
                code,
                format!(
                    "{} {how} {} ({}), {what}",
                    clip(&shown(argv)),
                    clip(&shown(&imp.argv)),
                    imp.why
                ),
                span_of(argv, span),
                argv,
                rule,
            );
        }
    }

    /// Running a file written earlier in the same command: deny when a
    /// downloader wrote it (`curl -o i.sh … && sh i.sh`); a shell script whose
    /// content the command itself wrote (`cat <<EOF > x.sh … EOF; bash x.sh`)
    /// is analysed as a script; any other such file asks, since its content
    /// is not known.
    fn check_written_exec(&mut self, argv: &[Arg], base: &str, ctx: &Ctx, chain: &[String]) {
        if self.written.is_empty() && self.written_prefixes.is_empty() {
            return;
        }
        let shell = SHELLS.contains(&base) || matches!(base, "source" | ".");
        let interpreter =
            shell || matches!(base, "node" | "perl" | "ruby" | "php") || base.starts_with("python");
        // (file, run as a shell script?)
        let mut candidates: Vec<(&Arg, bool)> = Vec::new();
        if argv[0].lit().is_some_and(|n| n.contains('/')) {
            candidates.push((&argv[0], true));
        }
        if interpreter {
            let with_arg = [
                "-o",
                "+o",
                "-O",
                "+O",
                "--rcfile",
                "--init-file",
                "-W",
                "-X",
            ];
            let scan = scan_options(argv, 1, &with_arg);
            // Every spelling of "the program is standard input": no
            // operand, `-`, `/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`,
            // and a shell's `-s` (its operands are then arguments).
            let from_stdin = match argv.get(scan.first) {
                None => true,
                Some(a) => {
                    (shell && base != "source" && base != "." && scan.has(&["-s"]))
                        || a.lit().is_some_and(|p| {
                            p == "-" || super::shell::descriptor_path(p) == Some(0)
                        })
                }
            };
            if from_stdin {
                if let Stdin::File(Some(f)) = &ctx.stdin {
                    candidates.push((f, shell));
                }
            } else if let Some(script) = argv.get(scan.first) {
                candidates.push((script, shell));
            }
        }
        for (file, as_shell) in candidates {
            let Some((downloaded, content)) = self.was_written(file) else {
                continue;
            };
            if downloaded {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::DownloadToShell,
                    format!(
                        "{base} runs {}, which was downloaded earlier in the command",
                        clip(&file.shown())
                    ),
                    file.span,
                    argv,
                    None,
                );
                continue;
            }
            // A file run directly is a shell script unless its `#!` line names
            // another interpreter.
            let script = content.filter(|c| {
                as_shell
                    && c.lines().next().is_none_or(|first| {
                        !first.starts_with("#!") || first.ends_with("sh") || first.ends_with("bash")
                    })
            });
            match script {
                Some(text) => {
                    // Run by name, the `#!` line picks the shell; without
                    // one, the calling shell runs it.
                    let dialect = if !std::ptr::eq(file, &argv[0]) {
                        super::dialect::of_script(chain, base)
                    } else {
                        text.lines()
                            .next()
                            .and_then(super::dialect::of_shebang)
                            .unwrap_or_else(|| super::dialect::of_script(chain, "eval"))
                    };
                    let label = format!("{base} {}", file.shown());
                    self.dialect_gap(dialect, &label, &text, file.span, argv);
                    let mut c = ctx.clone();
                    c.wrappers = chain.to_vec();
                    let run_as = match dialect {
                        super::dialect::Dialect::Bash => "bash",
                        super::dialect::Dialect::Posix => "sh",
                        super::dialect::Dialect::Other => "zsh",
                    };
                    let inner = c.script(&format!("{run_as} {}", file.shown()), Stdin::Inherited);
                    self.analyze_script(&text, None, file.span, &inner);
                }
                None => self.finding(
                    Verdict::Ask,
                    DecisionCode::InlineCode,
                    format!("{base} runs {}, which was written earlier in the command; its content is not analysed", clip(&file.shown())),
                    file.span,
                    argv,
                    None,
                ),
            }
        }
    }

    /// A script for a shell other than bash: refused unless bash and a
    /// POSIX `sh` read its text the same way (the analysis parses bash).
    pub(crate) fn dialect_gap(
        &mut self,
        dialect: super::dialect::Dialect,
        label: &str,
        text: &str,
        span: Span,
        argv: &[Arg],
    ) {
        use super::dialect::Dialect;
        match dialect {
            Dialect::Bash => {}
            Dialect::Posix => {
                if let Some(what) = super::dialect::posix_gap(text) {
                    self.unmodelled(
                        DecisionCode::UnmodelledSyntax,
                        format!(
                            "{label} runs its script with a POSIX sh (dash), which reads it differently from bash: {what}"
                        ),
                        span,
                        argv,
                    );
                }
            }
            Dialect::Other => self.unmodelled(
                DecisionCode::UnmodelledSyntax,
                format!("{label} runs its script with a shell grammar other than bash's, which is not modelled"),
                span,
                argv,
            ),
        }
    }

    /// A script run by a wrapper (`bash -c`, `eval`, `ssh host`, …).
    fn wrapped_script(
        &mut self,
        label: &str,
        script: &Arg,
        ctx: &Ctx,
        chain: &[String],
        argv: &[Arg],
    ) {
        let mut c = ctx.clone();
        c.wrappers = chain.to_vec();
        // `eval`, `source` and traps run in this shell: a `cd` there moves
        // it (to a place known for certain only without the trap).
        let this_shell = label == "eval" || label == "trap" || label == "source" || label == ".";
        match script.lit() {
            Some(text) => {
                let inner = c.script(label, Stdin::Inherited);
                if text.trim().is_empty() {
                    return;
                }
                let dialect = super::dialect::of_script(chain, label);
                self.dialect_gap(dialect, label, text, script.span, argv);
                let text = text.to_string();
                let before = self.cwd.clone();
                if label == "trap" {
                    // A trap runs later, wherever the shell is then.
                    self.cwd = Cwd::Unknown;
                }
                let first = self.effective_len();
                let after = self.in_child(|a| {
                    if label == "trap" {
                        // It runs later: after writes that follow it.
                        a.unordered(|a| a.analyze_script(&text, None, script.span, &inner));
                    } else {
                        a.analyze_script(&text, None, script.span, &inner);
                    }
                    a.cwd.clone()
                });
                if label == "trap" {
                    // Whether the action changes directory is read from the
                    // commands the analysis found in it (after quote removal,
                    // through `builtin`, `eval`, functions), not its text.
                    let moves = self.effective_since(first).iter().any(|c| {
                        c.argv.first().is_none_or(|w| {
                            w.as_deref().is_none_or(|n| {
                                let n = super::rules::basename(n);
                                matches!(n, "cd" | "pushd" | "popd")
                                    || self.shell.defs.iter().any(|d| d.name == n)
                            })
                        })
                    });
                    self.cwd = if moves { Cwd::Unknown } else { before };
                } else if this_shell {
                    self.cwd = after;
                }
            }
            None if script.template.is_some() => {
                self.finding(
                    Verdict::Ask,
                    DecisionCode::InlineCode,
                    format!(
                        "{label} runs a script built from input at run time ({})",
                        clip(&script.text)
                    ),
                    script.span,
                    argv,
                    None,
                );
                let inner = c.script(label, Stdin::Inherited);
                let text = script.template.clone().unwrap_or_default();
                self.in_child(|a| a.analyze_script(&text, None, script.span, &inner));
            }
            None if script.downloads => self.finding(
                Verdict::Deny,
                DecisionCode::DownloadToShell,
                format!(
                    "{label} runs a script downloaded from the network ({})",
                    clip(&script.text)
                ),
                script.span,
                argv,
                None,
            ),
            None => self.finding(
                Verdict::Ask,
                DecisionCode::InlineCode,
                format!(
                    "{label} runs a script computed at run time ({})",
                    clip(&script.text)
                ),
                script.span,
                argv,
                None,
            ),
        }
    }

    /// A shell reading its script from standard input.
    fn stdin_script(&mut self, label: &str, argv: &[Arg], ctx: &Ctx, chain: &[String]) {
        let span = super::dangers::command_span(argv);
        match &ctx.stdin {
            Stdin::Text {
                body: Some(body),
                span: at,
                ..
            } => {
                let body = body.clone();
                self.stdin_body(label, &body, *at, argv, ctx, chain);
            }
            // A file the command wrote earlier: its content when the
            // command gave it, else not known. Interpreters and shells
            // that name the file are judged by `check_written_exec`.
            Stdin::File(Some(f))
                if self.was_written(f).is_some()
                    && !SHELLS.contains(&label)
                    && !matches!(label, "source" | ".") =>
            {
                let (downloaded, content) = self.was_written(f).unwrap_or_default();
                match content {
                    _ if downloaded => self.finding(
                        Verdict::Deny,
                        DecisionCode::DownloadToShell,
                        format!(
                            "{label} runs {}, which was downloaded earlier in the command",
                            clip(&f.shown())
                        ),
                        f.span,
                        argv,
                        None,
                    ),
                    Some(body) => self.stdin_body(label, &body, f.span, argv, ctx, chain),
                    None => self.finding(
                        Verdict::Ask,
                        DecisionCode::InlineCode,
                        format!(
                            "{label} runs {}, which was written earlier in the command; its content is not analysed",
                            clip(&f.shown())
                        ),
                        f.span,
                        argv,
                        None,
                    ),
                }
            }
            Stdin::Text {
                body: None,
                span: at,
                downloads: true,
            } => self.finding(
                Verdict::Deny,
                DecisionCode::DownloadToShell,
                format!("{label} runs a here-document filled from the network"),
                *at,
                argv,
                None,
            ),
            Stdin::Text {
                body: None,
                span: at,
                downloads: false,
            } => self.finding(
                Verdict::Ask,
                DecisionCode::InlineCode,
                format!("{label} runs a here-document computed at run time"),
                *at,
                argv,
                None,
            ),
            Stdin::Pipe { downloads: true } => self.finding(
                Verdict::Deny,
                DecisionCode::DownloadToShell,
                format!("{label} runs a script downloaded from the network through a pipe"),
                span,
                argv,
                None,
            ),
            Stdin::Pipe { downloads: false } => self.finding(
                Verdict::Ask,
                DecisionCode::InlineCode,
                format!("{label} runs a script read from a pipe; its content is not known"),
                span,
                argv,
                None,
            ),
            Stdin::File(_) => {
                let stdin = ctx.stdin.clone();
                self.stdin_file_script(&stdin, label, argv, span);
            }
            Stdin::Inherited => self.finding(
                Verdict::Ask,
                DecisionCode::InlineCode,
                format!("{label} reads commands from its standard input"),
                span,
                argv,
                None,
            ),
        }
    }

    /// The text a shell, `source` or `at` reads as its script from its
    /// standard input, known in full: analysed as that shell reads it. A
    /// body `at`/`batch` queue runs later, after whatever the rest of the
    /// command writes.
    fn stdin_body(
        &mut self,
        label: &str,
        body: &str,
        at: Span,
        argv: &[Arg],
        ctx: &Ctx,
        chain: &[String],
    ) {
        let dialect = if super::wrappers::FOREIGN_SHELLS.contains(&label) {
            super::dialect::Dialect::Other
        } else {
            super::dialect::of_script(chain, label)
        };
        self.dialect_gap(dialect, label, body, at, argv);
        let mut c = ctx.clone();
        c.wrappers = chain.to_vec();
        let inner = c.script(label, Stdin::Inherited);
        let later = matches!(label, "at" | "batch");
        let after = self.in_child(|a| {
            if later {
                a.unordered(|a| a.analyze_script(body, None, at, &inner));
            } else {
                a.analyze_script(body, None, at, &inner);
            }
            a.cwd.clone()
        });
        // `source`/`.` run the text in this shell: its `cd` moves
        // it (a shell reading the text runs in a child).
        if matches!(label, "source" | ".") {
            self.cwd = after;
        }
    }

    /// Screen one assignment.
    pub(crate) fn check_assignment(
        &mut self,
        name: &str,
        value: Option<&Arg>,
        span: Span,
        argv: &[Arg],
    ) {
        if let Some(why) = env::risk(name) {
            self.finding(
                Verdict::Ask,
                DecisionCode::DangerousEnvironment,
                format!("setting {name} {why}"),
                span,
                argv,
                None,
            );
        }
        // Python imports the module of each warning category it names.
        if name == "PYTHONWARNINGS"
            && value
                .and_then(|v| v.lit())
                .is_none_or(super::computed_names::warning_filter_imports)
        {
            self.finding(
                Verdict::Ask,
                DecisionCode::DangerousEnvironment,
                format!("setting {name} to a warning category outside the builtins (or a computed value) makes Python import its module from the import path, the current directory included"),
                span,
                argv,
                None,
            );
        }
        if let Some(v) = value.and_then(|v| v.lit()) {
            if env::stores_code(v) {
                self.finding(
                    Verdict::Ask,
                    DecisionCode::InlineCode,
                    format!("{name} holds shell code text {}; arithmetic, eval or prompt expansion of it would run it", clip(v)),
                    span,
                    argv,
                    None,
                );
            }
        }
    }

    fn check_allowed(&mut self, argv: &[Arg], span: Span, fn_call: bool) {
        let name = argv[0].lit().unwrap_or_default().to_string();
        if fn_call {
            // A function defined for certain before this call, in this
            // shell: its body was judged.
            return;
        }
        if self.shell.defs.iter().any(|d| d.name == name) && self.guard.allowed.find(argv).is_none()
        {
            self.finding(
                Verdict::Deny,
                DecisionCode::UnmodelledFunction,
                format!(
                    "{} may not run the function of that name (not defined on every path before this call, or bypassed by a wrapper); the program of that name matches no allowed command",
                    clip(&name)
                ),
                argv[0].span,
                argv,
                None,
            );
            return;
        }
        if super::builtins::free_in_whitelist(argv) {
            if name == "cd" {
                self.check_cd_target(argv);
            }
            return;
        }
        match self.guard.allowed.find(argv) {
            Some(Match::Exact(r)) => {
                if !trusted_name(&name) && !r.tokens[0].contains('/') {
                    let rule = r.name.clone();
                    self.finding(
                        Verdict::Deny,
                        DecisionCode::UntrustedCommandPath,
                        format!("{} is outside the system directories; the rule names the program, not this file", clip(&name)),
                        argv[0].span,
                        argv,
                        Some(rule),
                    );
                }
            }
            Some(Match::Possible(r)) => {
                let rule = r.name.clone();
                self.finding(
                    Verdict::Ask,
                    DecisionCode::CommandNotAllowed,
                    format!("{} may not match the allowed command rule: some of its words are computed at run time", clip(&shown(argv))),
                    span_of(argv, span),
                    argv,
                    Some(rule),
                );
            }
            None if !trusted_name(&name) => self.finding(
                Verdict::Deny,
                DecisionCode::UntrustedCommandPath,
                format!(
                    "{} is a program outside the system directories and matches no allowed command",
                    clip(&name)
                ),
                argv[0].span,
                argv,
                None,
            ),
            None => self.finding(
                Verdict::Deny,
                DecisionCode::CommandNotAllowed,
                format!("{} matches no allowed command", clip(&shown(argv))),
                span_of(argv, span),
                argv,
                None,
            ),
        }
    }

    fn record(
        &mut self,
        argv: &[Arg],
        redirects: &[Redir],
        span: Span,
        ctx: &Ctx,
        chain: &[String],
    ) {
        let redirects = redirects
            .iter()
            .map(|r| Redirect {
                op: r.op.to_string(),
                fd: r.fd,
                target: match &r.target {
                    Target::File(a) => a.value.clone(),
                    Target::Fd(n) => Some(n.clone()),
                    Target::ProcSub { .. } | Target::Text { .. } => None,
                },
            })
            .collect();
        self.effective(EffectiveCommand {
            argv: argv.iter().map(|a| a.value.clone()).collect(),
            wrappers: chain.to_vec(),
            redirects,
            span,
            depth: ctx.depth,
        });
    }
}

/// What a command prints, when the command and its words make it known:
/// `cat` of its here-document, `echo` of literal words.
fn written_content(argv: &[Arg], base: &str, stdin: &Stdin) -> Option<String> {
    match base {
        "cat" if argv.len() == 1 => match stdin {
            Stdin::Text { body: Some(b), .. } => Some(b.clone()),
            _ => None,
        },
        "echo" => {
            let mut words: Vec<&str> = argv[1..].iter().map(|a| a.lit()).collect::<Option<_>>()?;
            // `sh`'s echo and bash's with xpg_echo decode backslash escapes.
            if words.iter().any(|w| w.contains('\\')) {
                return None;
            }
            let mut newline = true;
            while let Some(flag) = words.first().filter(|w| {
                w.len() > 1 && w.starts_with('-') && w[1..].chars().all(|c| "neE".contains(c))
            }) {
                if flag.contains('e') {
                    return None;
                }
                if flag.contains('n') {
                    newline = false;
                }
                words.remove(0);
            }
            Some(format!(
                "{}{}",
                words.join(" "),
                if newline { "\n" } else { "" }
            ))
        }
        _ => None,
    }
}

/// The argv as text, for messages.
fn shown(argv: &[Arg]) -> String {
    argv.iter().map(Arg::shown).collect::<Vec<_>>().join(" ")
}

/// The span of an argv, or `fallback` when it has none.
pub(crate) fn span_of(argv: &[Arg], fallback: Span) -> Span {
    let s = super::dangers::command_span(argv);
    if s == [0, 0] {
        fallback
    } else {
        s
    }
}

/// Filters whose output is only whole lines of their standard input (some
/// of them, in another order) or counts of them, by the options listed:
/// `(program, flags, options whose value is the next word)`. An option
/// that cuts lines (`grep -o`, `head -c`, `cut`) or adds text to them
/// (`grep -n`, `uniq -c`) is not listed.
const LINE_FILTERS: &[(&str, &[&str], &[&str])] = &[
    (
        "grep",
        &[
            "-v",
            "-i",
            "-y",
            "-w",
            "-x",
            "-E",
            "-F",
            "-G",
            "-P",
            "-s",
            "-q",
            "-a",
            "-U",
            "-c",
            "--invert-match",
            "--ignore-case",
            "--word-regexp",
            "--line-regexp",
            "--extended-regexp",
            "--fixed-strings",
            "--basic-regexp",
            "--perl-regexp",
            "--no-messages",
            "--quiet",
            "--silent",
            "--text",
            "--count",
            "--line-buffered",
            "--color=never",
            "--colour=never",
            "--no-ignore-case",
        ],
        &["-e", "-m", "-A", "-B", "-C", "--regexp", "--max-count"],
    ),
    (
        "sort",
        &[
            "-b",
            "-d",
            "-f",
            "-g",
            "-i",
            "-M",
            "-h",
            "-n",
            "-R",
            "-r",
            "-V",
            "-s",
            "-u",
            "-c",
            "--ignore-leading-blanks",
            "--dictionary-order",
            "--ignore-case",
            "--general-numeric-sort",
            "--ignore-nonprinting",
            "--month-sort",
            "--human-numeric-sort",
            "--numeric-sort",
            "--random-sort",
            "--reverse",
            "--version-sort",
            "--stable",
            "--unique",
        ],
        &[
            "-k",
            "-t",
            "-S",
            "--key",
            "--field-separator",
            "--buffer-size",
        ],
    ),
    (
        "uniq",
        &["-d", "-u", "-i", "--repeated", "--unique", "--ignore-case"],
        &["-f", "-s", "-w"],
    ),
    ("head", &["-q", "-v"], &["-n", "--lines"]),
    ("tail", &["-q", "-v"], &["-n", "--lines"]),
    (
        "wc",
        &[
            "-l", "-w", "-c", "-m", "-L", "--lines", "--words", "--bytes", "--chars",
        ],
        &[],
    ),
];

/// Whether a pipeline stage writes only what reaches it on its standard
/// input (`tee FILE…`, a bare `cat`, a line filter of [`LINE_FILTERS`]
/// with no file operand), into its standard output redirections: the file
/// then holds the output of the stages before it, the runner's own, and
/// nothing the command line adds.
fn copies_pipe_lines(argv: &[Arg], redirects: &[Redir]) -> bool {
    let Some(name) = argv.first().and_then(|a| a.lit()).map(basename) else {
        return false;
    };
    // Standard input replaced, or another descriptor written (an error
    // message may quote the command line).
    let plain_output = redirects.iter().all(|r| {
        matches!(r.op, ">" | ">>" | ">|")
            && r.fd.unwrap_or(1) == 1
            && matches!(&r.target, Target::File(a) if a.lit().is_some())
    });
    if !plain_output {
        return false;
    }
    if name == "tee" {
        return true;
    }
    if name == "cat" {
        return argv.len() == 1;
    }
    let Some((_, flags, valued)) = LINE_FILTERS.iter().find(|(n, ..)| *n == name) else {
        return false;
    };
    // grep's first operand is its pattern, unless `-e` gave one.
    let mut pattern = name == "grep";
    let mut i = 1;
    while i < argv.len() {
        let Some(v) = argv[i].lit() else {
            return false;
        };
        i += 1;
        if flags.contains(&v) {
            continue;
        }
        if valued.contains(&v) {
            if matches!(v, "-e" | "--regexp") {
                pattern = false;
            }
            i += 1;
            continue;
        }
        // `-n5`, `-n 5`, `--lines=5`, `-5`, `-e x`
        let attached = valued.iter().any(|o| {
            (o.len() == 2 && v.len() > 2 && v.starts_with(o))
                || (o.starts_with("--") && v.strip_prefix(*o).is_some_and(|r| r.starts_with('=')))
        });
        if attached {
            if v.starts_with("-e") || v.starts_with("--regexp=") {
                pattern = false;
            }
            continue;
        }
        if matches!(name, "head" | "tail")
            && v.len() > 1
            && v[1..].bytes().all(|b| b.is_ascii_digit())
            && v.starts_with('-')
        {
            continue;
        }
        if pattern && !v.starts_with('-') {
            pattern = false;
            continue;
        }
        // A file operand, or an option not listed.
        return false;
    }
    true
}
