//! Judges one simple command: its assignments and redirections, then each
//! layer of its wrappers down to the command that really runs, against the
//! rules (POLICY § Commands 6), the dangers (7), the filesystem (8) and the
//! environment screening (9).

use super::env;
use super::limits::MAX_WRAPPERS;
use super::normalize::{clip, Arg};
use super::rules::{basename, trusted_name, Match};
use super::walk::{Analyzer, Ctx, Cwd, Redir, SimpleCmd, Stdin, Target};
use super::wrappers::{split_assignment, unwrap, Unwrap};
use super::{EffectiveCommand, Redirect, Span};
use crate::decision::{DecisionCode, Verdict};
use crate::policy::CommandMode;

/// Privilege escalation commands, refused unless `allow_sudo`.
const SUDO_NAMES: &[&str] = &[
    "sudo", "doas", "su", "pkexec", "run0", "sudoedit", "runuser",
];

/// Builtins whose operands are assignments.
const DECLARATIONS: &[&str] = &["export", "declare", "typeset", "local", "readonly"];

impl Analyzer<'_> {
    /// Judge a simple command.
    pub(crate) fn judge(&mut self, cmd: SimpleCmd, ctx: &Ctx) {
        for a in &cmd.assignments {
            self.check_assignment(&a.name, a.value.as_ref(), a.span, &cmd.argv);
        }
        self.check_redirects(&cmd.redirects, &cmd.argv);
        if cmd.argv.is_empty() {
            if !cmd.redirects.is_empty() {
                self.record(&[], &cmd.redirects, cmd.span, ctx, &ctx.wrappers);
            }
            return;
        }
        let chain = ctx.wrappers.clone();
        self.judge_layers(cmd.argv, &cmd.redirects, cmd.span, ctx, chain, None, 0);
    }

    #[allow(clippy::too_many_arguments)]
    fn judge_layers(
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
            let base = basename(&name).to_string();
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
            let unwrapped = unwrap(&argv);
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
            if runs_itself && covered.is_none() && self.guard.mode == CommandMode::Whitelist {
                if let Unwrap::Argv { start, .. } = &unwrapped {
                    covered = self
                        .guard
                        .allowed
                        .find_longer(&argv, *start)
                        .map(|r| r.name.clone());
                }
                if covered.is_none() {
                    self.check_allowed(&argv, span);
                }
            }
            self.check_dangers(&argv, &base, &ctx.stdin);
            self.check_file_operands(&argv, &base);
            if DECLARATIONS.contains(&base.as_str()) {
                for a in argv.iter().skip(1) {
                    if let Some((n, v)) = split_assignment(a) {
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
                    match base.as_str() {
                        "cd" | "pushd" => self.change_dir(&argv),
                        "popd" => self.cwd = Cwd::Unknown,
                        _ => {}
                    }
                    return;
                }
                Unwrap::Argv {
                    label,
                    inners,
                    start,
                    assigns,
                } => {
                    for (n, v) in &assigns {
                        self.check_assignment(n, Some(v), v.span, &argv);
                    }
                    if inners.is_empty() {
                        self.record(&argv, redirects, span, ctx, &chain);
                        return;
                    }
                    if covered.is_none() && self.guard.mode == CommandMode::Whitelist {
                        covered = self
                            .guard
                            .allowed
                            .find_longer(&argv, start)
                            .map(|r| r.name.clone());
                    }
                    chain.push(label);
                    let mut inners = inners;
                    if inners.len() == 1 {
                        argv = inners.pop().unwrap_or_default();
                        continue;
                    }
                    for inner in inners {
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
                    self.finding(
                        Verdict::Ask,
                        DecisionCode::UnknownWrapper,
                        format!("{base} {why}; what it runs cannot be checked"),
                        span_of(&argv, span),
                        &argv,
                        None,
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
        match script.lit() {
            Some(text) => {
                let inner = c.script(label, Stdin::Inherited);
                if text.trim().is_empty() {
                    return;
                }
                let text = text.to_string();
                self.analyze_script(&text, None, script.span, &inner);
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
                self.analyze_script(&text, None, script.span, &inner);
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
            } => {
                let mut c = ctx.clone();
                c.wrappers = chain.to_vec();
                let inner = c.script(label, Stdin::Inherited);
                let body = body.clone();
                self.analyze_script(&body, None, *at, &inner);
            }
            Stdin::Text {
                body: None,
                span: at,
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
            Stdin::File => {}
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

    fn check_allowed(&mut self, argv: &[Arg], span: Span) {
        let name = argv[0].lit().unwrap_or_default().to_string();
        if self.functions.contains(&name) {
            // A function defined in the command: its body was judged.
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

/// The argv as text, for messages.
fn shown(argv: &[Arg]) -> String {
    argv.iter().map(Arg::shown).collect::<Vec<_>>().join(" ")
}

/// The span of an argv, or `fallback` when it has none.
fn span_of(argv: &[Arg], fallback: Span) -> Span {
    let s = super::dangers::command_span(argv);
    if s == [0, 0] {
        fallback
    } else {
        s
    }
}
