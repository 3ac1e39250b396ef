//! Visits every node of the syntax tree (docs/policy.md, Commands 3): lists,
//! pipelines, subshells, groups, compound bodies, function bodies,
//! substitutions, process substitutions, here-documents, assignment values
//! and redirection targets. Counts the limits as it goes and fails closed
//! when one is exceeded.

use brush_parser::ast::{self, SourceLocation};

use super::limits::{parse_budget, MAX_DEPTH, MAX_NODES, MAX_OPENERS, MAX_SIMPLE_COMMANDS};
use super::normalize::{clip, Arg, WordKind};
use super::parse::{self, Source};
use super::prescreen::{self, opener_count, Rejection};
use super::{CommandAnalysis, CommandGuard, EffectiveCommand, Finding, Span, Stats};
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FilesystemGuard;
use crate::guards::network::NetworkGuard;

/// Most findings kept in full.
const MAX_FINDINGS: usize = 256;

/// Where a command's standard input comes from.
#[derive(Debug, Clone)]
pub(crate) enum Stdin {
    /// Inherited from whoever runs the command.
    Inherited,
    /// A pipe from earlier pipeline stages; `downloads` when one of them ran
    /// a downloader.
    Pipe { downloads: bool },
    /// A here-document or here-string; `body` when its text is literal;
    /// `downloads` when a substitution in it ran a downloader.
    Text {
        body: Option<String>,
        span: Span,
        downloads: bool,
    },
    /// A file (the word, when it is a file name).
    File(Option<Arg>),
}

/// The working directory a relative path resolves against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cwd {
    /// The workspace root (where the command starts).
    Workspace,
    /// A directory changed to with a literal `cd` (absolute, `~`-based or
    /// relative to the workspace).
    Dir(String),
    /// Changed to something computed at run time.
    Unknown,
}

/// The files (with the pipeline stages they are not written for) and name
/// prefixes a whole command writes, from its first pass.
pub(crate) type LaterWritten = (Vec<(String, Option<StageRange>)>, Vec<String>);

/// Stages `from..to` of one pipeline (its number among those walked, and
/// its span).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StageRange {
    pub pipeline: usize,
    pub span: Span,
    pub from: usize,
    pub to: usize,
}

impl StageRange {
    fn covers(&self, (pipeline, span, stage): (usize, Span, usize)) -> bool {
        self.pipeline == pipeline && self.span == span && (self.from..self.to).contains(&stage)
    }

    /// The stages both ranges cover.
    fn meet(self, o: StageRange) -> Option<StageRange> {
        let from = self.from.max(o.from);
        let to = self.to.min(o.to);
        (self.pipeline == o.pipeline && self.span == o.span && from < to).then_some(StageRange {
            from,
            to,
            ..self
        })
    }
}

/// The context of a visited node.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    /// Nesting depth (0 = top level).
    pub depth: usize,
    /// Standard input of commands here.
    pub stdin: Stdin,
    /// Wrappers around the script being visited (`bash -c`, …).
    pub wrappers: Vec<String>,
    /// The function whose body is being visited.
    pub function: Option<String>,
    /// Runs concurrently with other commands (pipeline stage, `&`).
    pub concurrent: bool,
}

impl Ctx {
    pub(crate) fn top() -> Ctx {
        Ctx {
            depth: 0,
            stdin: Stdin::Inherited,
            wrappers: Vec::new(),
            function: None,
            concurrent: false,
        }
    }

    /// One nesting level deeper.
    pub(crate) fn nested(&self) -> Ctx {
        Ctx {
            depth: self.depth + 1,
            ..self.clone()
        }
    }

    /// A script run by a wrapper: one level deeper, inside the wrapper.
    pub(crate) fn script(&self, label: &str, stdin: Stdin) -> Ctx {
        let mut wrappers = self.wrappers.clone();
        wrappers.push(label.to_string());
        Ctx {
            depth: self.depth + 1,
            stdin,
            wrappers,
            function: self.function.clone(),
            concurrent: self.concurrent,
        }
    }
}

/// An assignment in front of a command (or alone).
#[derive(Debug, Clone)]
pub(crate) struct Assign {
    pub name: String,
    /// The key of `NAME[KEY]=…`, as written.
    pub index: Option<String>,
    /// The value; `None` for array values.
    pub value: Option<Arg>,
    /// For `NAME=(…)`: every element (and key) is a literal without a
    /// pattern character.
    pub elements_plain: bool,
    pub span: Span,
}

/// The target of a redirection.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A file name.
    File(Arg),
    /// A file descriptor (`2>&1`, `>&-`).
    Fd(String),
    /// A process substitution.
    ProcSub { downloads: bool },
    /// Here-document or here-string text (literal when known).
    Text {
        body: Option<String>,
        downloads: bool,
    },
}

/// A redirection of a simple or compound command.
#[derive(Debug, Clone)]
pub(crate) struct Redir {
    pub fd: Option<i32>,
    pub op: &'static str,
    pub target: Target,
    pub span: Span,
}

/// A simple command, normalized, ready to be judged.
#[derive(Debug, Clone)]
pub(crate) struct SimpleCmd {
    pub assignments: Vec<Assign>,
    pub argv: Vec<Arg>,
    pub redirects: Vec<Redir>,
    pub span: Span,
}

/// Self-calls seen while visiting a function body (fork bombs).
#[derive(Debug, Default)]
pub(crate) struct Recursion {
    pub calls: usize,
    pub concurrent: bool,
}

/// One analysis of one command.
pub(crate) struct Analyzer<'g> {
    pub(crate) guard: &'g CommandGuard,
    pub(crate) fs: &'g FilesystemGuard,
    /// The policy's network guard, which judges the URLs tools connect to
    /// (`None`: the command guard is used without one, URLs are not judged).
    pub(crate) net: Option<&'g NetworkGuard>,
    pub(crate) input: &'g str,
    findings: Vec<Finding>,
    commands: Vec<EffectiveCommand>,
    stats: Stats,
    /// The shell state followed by the analysis (functions, variables of
    /// unknown value, `CDPATH`).
    pub(crate) shell: super::shell::ShellState,
    pub(crate) recursion: Recursion,
    pub(crate) cwd: Cwd,
    /// Files written by downloaders so far (resolved paths).
    pub(crate) downloaded: Vec<String>,
    /// Files written by any command so far (resolved paths), with their
    /// content when the command that wrote it makes it known (`cat <<EOF >
    /// f`, `echo … > f`); the last write of a path counts.
    pub(crate) written: Vec<(String, Option<String>)>,
    /// How many entries of `written` were there when the simple command
    /// being judged started (its own redirections come after).
    pub(crate) written_before: usize,
    /// The identities of existing files written so far (see
    /// [`super::files::file_identity`]).
    pub(crate) written_ids: Vec<(u64, u64)>,
    /// Files written earlier in the command whose names are computed from
    /// a prefix (`split`, `csplit`): each path here stands for every name
    /// that starts with it in the same directory.
    pub(crate) written_prefixes: Vec<String>,
    /// Files (and prefixes) the whole command writes, from a first pass:
    /// in a part that may run after writes later in the text (see
    /// [`Analyzer::unordered`]) they count as written before it.
    pub(crate) later_written: Option<LaterWritten>,
    /// How deep the walk is in such parts.
    pub(crate) unordered_depth: usize,
    /// A write is being judged under the other name of a hard link the
    /// command made (not expanded again).
    pub(crate) in_hard_link: bool,
    /// The hard links the whole command makes, from a first pass: there
    /// for a part that may run after them (see [`Self::unordered`]).
    pub(crate) later_hard_links: Vec<super::shell::HardLink>,
    /// Whether the command has such a part.
    pub(crate) unordered_seen: bool,
    /// Entries of `written` not counted as written later: what a `tee`/`cat`
    /// pipeline stage wrote from its standard input (the output of the
    /// stages before it, the runner's own, as with `npm test > out.log`),
    /// and code a tool runs that is judged as a write without being one.
    pub(crate) unseeded_writes: Vec<usize>,
    /// Pipelines walked so far: with its span, the name of a pipeline in
    /// [`StageRange`].
    pub(crate) pipelines: usize,
    /// The pipeline stage about to be walked, when it is a simple command:
    /// the one [`Analyzer::judge`] reads to see whether it copies its
    /// standard input.
    pub(crate) copy_stage: Option<StageRange>,
    /// Whether the last stage walked was such a copy.
    pub(crate) stage_copied: bool,
    /// The pipeline stage being walked (pipeline, span, index), for the
    /// files a later stage writes from the output of this one.
    pub(crate) pipe_stage: Option<(usize, Span, usize)>,
    /// Entries of `written` made by a pipeline stage that only copies
    /// lines of its standard input (`tee`, `grep x > f`), with the earlier
    /// stages whose output that is: not counted as written for them.
    pub(crate) pipe_copies: Vec<(usize, StageRange)>,
    /// A git command earlier in the command fetched code from a URL into
    /// the working tree (what it fetched, for the message).
    pub(crate) fetched: Option<String>,
    /// A command earlier in the command wrote files of the working tree it
    /// does not name: git from the index, a commit or a stash, an archive
    /// extracted, a patch applied (what wrote them, for the message).
    pub(crate) checked_out: Option<String>,
    /// The most severe verdict found so far.
    worst: Verdict,
    aborted: bool,
    budget: usize,
    /// Lookups on disk the analysis repeats, answered once per check (see
    /// [`Lookups`]).
    pub(crate) lookups: Lookups,
    /// The variables the simple command being judged puts in its program's
    /// environment (prefix assignments, `env NAME=VALUE`), with the value
    /// when it is literal.
    pub(crate) env_assigns: Vec<(String, Option<String>)>,
}

/// Answers of the file system the analysis asks for more than once in one
/// check (the canonical path of a directory, the top of the git working
/// tree around it, keyed on the host path asked about; the filesystem
/// guard's decision of a request, keyed on the request). They live as long
/// as one [`Analyzer`], that is one check: a later check looks again, so a
/// change on disk between checks is always seen. Within one check the
/// analysis changes nothing on disk, so a second lookup could only differ
/// by a concurrent change, which a check made a moment earlier would not
/// see either.
#[derive(Default)]
pub(crate) struct Lookups {
    pub(crate) canonical: std::cell::RefCell<Vec<(std::path::PathBuf, Option<std::path::PathBuf>)>>,
    pub(crate) git_tops: std::cell::RefCell<Vec<(std::path::PathBuf, Option<String>)>>,
    /// Decisions of the filesystem guard, by request (operation, path,
    /// other path, size).
    #[allow(clippy::type_complexity)]
    decisions: std::cell::RefCell<
        Vec<(
            crate::guards::filesystem::FileOperation,
            String,
            Option<String>,
            Option<u64>,
            crate::decision::Decision,
        )>,
    >,
}

impl Analyzer<'_> {
    /// `self.fs.check(req)`, decided once per request and check (see
    /// [`Lookups`]): the same operand often reaches the filesystem guard
    /// from several models of one command.
    pub(crate) fn fs_check(
        &self,
        req: &crate::guards::filesystem::FileRequest<'_>,
    ) -> crate::decision::Decision {
        let known = self
            .lookups
            .decisions
            .borrow()
            .iter()
            .find(|(op, path, other, size, _)| {
                *op == req.operation
                    && path == req.path
                    && other.as_deref() == req.other
                    && *size == req.size
            })
            .map(|(.., d)| d.clone());
        if let Some(d) = known {
            return d;
        }
        let d = self.fs.check(req);
        self.lookups.decisions.borrow_mut().push((
            req.operation,
            req.path.to_string(),
            req.other.map(str::to_string),
            req.size,
            d.clone(),
        ));
        d
    }
}

impl<'g> Analyzer<'g> {
    pub(crate) fn new(
        guard: &'g CommandGuard,
        fs: &'g FilesystemGuard,
        net: Option<&'g NetworkGuard>,
        input: &'g str,
    ) -> Analyzer<'g> {
        Analyzer {
            guard,
            fs,
            net,
            input,
            findings: Vec::new(),
            commands: Vec::new(),
            stats: Stats {
                input_bytes: input.len(),
                ..Stats::default()
            },
            shell: super::shell::ShellState::default(),
            recursion: Recursion::default(),
            cwd: Cwd::Workspace,
            downloaded: Vec::new(),
            written: Vec::new(),
            written_before: 0,
            written_ids: Vec::new(),
            written_prefixes: Vec::new(),
            later_written: None,
            unordered_depth: 0,
            in_hard_link: false,
            later_hard_links: Vec::new(),
            unordered_seen: false,
            unseeded_writes: Vec::new(),
            pipelines: 0,
            copy_stage: None,
            stage_copied: false,
            pipe_stage: None,
            pipe_copies: Vec::new(),
            fetched: None,
            checked_out: None,
            worst: Verdict::Allow,
            aborted: false,
            budget: parse_budget(input.len()),
            lookups: Lookups::default(),
            env_assigns: Vec::new(),
        }
    }

    /// Analyse the whole input and combine the findings. A command with a
    /// part that may run after writes that come later in its text (a loop
    /// body, a function, a background job, a pipeline stage, a trap) is
    /// analysed again knowing every file the first pass saw it write.
    pub(crate) fn run(self) -> CommandAnalysis {
        let (guard, fs, net, input) = (self.guard, self.fs, self.net, self.input);
        let first = self.run_pass();
        if !first.unordered_seen
            || first.aborted
            || (first.written.is_empty() && first.written_prefixes.is_empty())
        {
            return first.finish();
        }
        // A file only ever written by copies of one pipeline's output is
        // not written for the stages it copies (`npm test | grep x > f`).
        let mut files: Vec<(String, Option<StageRange>)> = Vec::new();
        for (i, (p, _)) in first.written.iter().enumerate() {
            if first.unseeded_writes.contains(&i) {
                continue;
            }
            let copy = first
                .pipe_copies
                .iter()
                .find(|(k, _)| *k == i)
                .map(|(_, r)| *r);
            match files.iter_mut().find(|(f, _)| f == p) {
                Some((_, range)) => *range = range.and_then(|r| copy.and_then(|c| r.meet(c))),
                None => files.push((p.clone(), copy)),
            }
        }
        let mut second = Analyzer::new(guard, fs, net, input);
        second.later_written = Some((files, first.written_prefixes.clone()));
        second.later_hard_links = first.shell.hard_links.clone();
        second.lookups = first.lookups;
        second.run_pass().finish()
    }

    /// Analyse a part of the command that may run after writes which come
    /// later in its text: a loop body (its next round), a function body (at
    /// a later call), a background job or pipeline stage (beside the rest),
    /// a trap (at a signal or the end). Every file the whole command writes
    /// counts as written before it, without a known content.
    pub(crate) fn unordered<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.unordered_seen = true;
        let seed = if self.unordered_depth == 0 {
            self.later_written.clone()
        } else {
            None
        };
        let (n, np) = (self.written.len(), self.written_prefixes.len());
        // The hard links the whole command makes are there too.
        let nh = self.shell.hard_links.len();
        let mut kh = 0;
        if self.unordered_depth == 0 {
            let links = self.later_hard_links.clone();
            kh = links.len();
            self.shell
                .hard_links
                .extend(links.into_iter().map(|l| super::shell::HardLink {
                    pending: false,
                    ..l
                }));
        }
        let (mut k, mut kp) = (0, 0);
        if let Some((files, prefixes)) = seed {
            let stage = self.pipe_stage;
            let files: Vec<String> = files
                .into_iter()
                .filter(|(_, r)| !r.is_some_and(|r| stage.is_some_and(|s| r.covers(s))))
                .map(|(p, _)| p)
                .collect();
            k = files.len();
            kp = prefixes.len();
            self.written.extend(files.into_iter().map(|p| (p, None)));
            self.written_prefixes.extend(prefixes);
        }
        self.unordered_depth += 1;
        let r = f(self);
        self.unordered_depth -= 1;
        // The seeded entries are not writes of what follows: drop them
        // (what the part itself wrote stays, after them).
        if self.written.len() >= n + k {
            self.written.drain(n..n + k);
        }
        if self.written_prefixes.len() >= np + kp {
            self.written_prefixes.drain(np..np + kp);
        }
        if self.shell.hard_links.len() >= nh + kh {
            self.shell.hard_links.drain(nh..nh + kh);
        }
        self.unseeded_writes.retain(|&i| i < n || i >= n + k);
        for i in self.unseeded_writes.iter_mut() {
            if *i >= n + k {
                *i -= k;
            }
        }
        r
    }

    fn run_pass(mut self) -> Self {
        match prescreen::screen(self.input) {
            Ok(()) => {
                let input = self.input;
                self.analyze_script(input, Some(0), [0, input.len()], &Ctx::top());
            }
            Err(Rejection::Empty) => self.finding(
                Verdict::Deny,
                DecisionCode::EmptyCommand,
                "the command is empty".to_string(),
                [0, self.input.len()],
                &[],
                None,
            ),
            Err(Rejection::TooLong(n)) => self.finding(
                Verdict::Deny,
                DecisionCode::CommandTooComplex,
                format!(
                    "the command is {n} bytes long; the limit is {} bytes",
                    super::limits::MAX_INPUT_BYTES
                ),
                [0, self.input.len()],
                &[],
                None,
            ),
            Err(Rejection::Character { ch, span, what }) => self.finding(
                Verdict::Deny,
                DecisionCode::ForbiddenCharacter,
                format!(
                    "forbidden character U+{:04X} at byte {}: {what}",
                    ch as u32, span[0]
                ),
                span,
                &[],
                None,
            ),
        }
        self.check_arith_uses();
        self.check_plain_uses();
        self
    }

    fn finish(self) -> CommandAnalysis {
        let worst = self
            .findings
            .iter()
            .map(|f| verdict_of(f.verdict))
            .max()
            .unwrap_or(Verdict::Allow);
        let decider = self
            .findings
            .iter()
            .find(|f| verdict_of(f.verdict) == worst);
        let (code, reason, rule) = match decider {
            Some(f) => (f.code, f.message.clone(), f.rule.clone()),
            None => {
                let n = self.commands.len();
                (
                    DecisionCode::Allowed.as_str(),
                    format!("{n} command{} allowed", if n == 1 { "" } else { "s" }),
                    None,
                )
            }
        };
        CommandAnalysis {
            verdict: worst.as_str(),
            code,
            reason,
            rule,
            findings: self.findings,
            commands: self.commands,
            stats: self.stats,
        }
    }

    // ----- findings, effective commands, limits -----

    /// Record a reason. Past [`MAX_FINDINGS`] a finding is kept only when it
    /// is more severe than every finding so far, so the decision is right and
    /// the list stays bounded.
    pub(crate) fn finding(
        &mut self,
        verdict: Verdict,
        code: DecisionCode,
        message: String,
        span: Span,
        argv: &[Arg],
        rule: Option<String>,
    ) {
        if self.findings.len() >= MAX_FINDINGS && self.worst >= verdict {
            return;
        }
        self.worst = self.worst.max(verdict);
        self.findings.push(Finding {
            verdict: verdict.as_str(),
            code: code.as_str(),
            message,
            span,
            argv: argv.iter().map(Arg::shown).collect(),
            rule,
        });
    }

    /// Record an effective command.
    pub(crate) fn effective(&mut self, cmd: EffectiveCommand) {
        self.commands.push(cmd);
    }

    pub(crate) fn effective_len(&self) -> usize {
        self.commands.len()
    }

    pub(crate) fn effective_since(&self, before: usize) -> &[EffectiveCommand] {
        &self.commands[before.min(self.commands.len())..]
    }

    pub(crate) fn aborted(&self) -> bool {
        self.aborted
    }

    fn abort(&mut self, message: String, span: Span) {
        if !self.aborted {
            self.finding(
                Verdict::Deny,
                DecisionCode::CommandTooComplex,
                message,
                span,
                &[],
                None,
            );
            self.aborted = true;
        }
    }

    /// Enter a nesting level; false (and the analysis stops) past the limit.
    pub(crate) fn enter(&mut self, ctx: &Ctx, span: Span) -> bool {
        if self.aborted {
            return false;
        }
        if ctx.depth > MAX_DEPTH {
            self.abort(
                format!("the command nests deeper than {MAX_DEPTH} levels"),
                span,
            );
            return false;
        }
        self.stats.max_depth = self.stats.max_depth.max(ctx.depth);
        true
    }

    pub(crate) fn count_node(&mut self) {
        self.stats.nodes += 1;
        if self.stats.nodes > MAX_NODES {
            self.abort(
                format!("the command has more than {MAX_NODES} syntax nodes"),
                [0, self.input.len()],
            );
        }
    }

    /// Account for `len` bytes handed to the parser; false past the budget.
    pub(crate) fn count_parse(&mut self, len: usize) -> bool {
        self.stats.parsed_bytes += len;
        if self.stats.parsed_bytes > self.budget {
            self.abort(
                "the command needs too much parsing work".to_string(),
                [0, self.input.len()],
            );
        }
        !self.aborted
    }

    fn count_simple(&mut self, span: Span) {
        self.stats.simple_commands += 1;
        if self.stats.simple_commands > MAX_SIMPLE_COMMANDS {
            self.abort(
                format!("the command has more than {MAX_SIMPLE_COMMANDS} simple commands"),
                span,
            );
        }
    }

    // ----- scripts -----

    /// Parse `text` (found at byte `at` of the input, or inside `within`) as
    /// a script and visit it at `ctx`.
    pub(crate) fn analyze_script(
        &mut self,
        text: &str,
        at: Option<usize>,
        within: Span,
        ctx: &Ctx,
    ) {
        if !self.enter(ctx, within) {
            return;
        }
        let openers = opener_count(text);
        if openers > MAX_OPENERS {
            self.abort(
                format!("the command opens more than {MAX_OPENERS} nesting levels"),
                within,
            );
            return;
        }
        self.stats.parses += 1;
        if !self.count_parse(text.len()) {
            return;
        }
        let src = Source::nested(self.input, text, at, within);
        parse::with_stack(openers, || match parse::program(text) {
            Ok(program) => {
                for list in &program.complete_commands {
                    self.walk_list(list, &src, ctx);
                }
            }
            Err(e) if e == parse::TOO_DEEP => self.abort(e, src.whole()),
            Err(e) => self.finding(
                Verdict::Deny,
                DecisionCode::ParseError,
                format!(
                    "the command does not parse as bash ({e}); refusing what cannot be analysed"
                ),
                src.whole(),
                &[],
                None,
            ),
        });
    }

    /// Analyse what runs in a child process (a subshell, a command or
    /// process substitution, `bash -c`): its `cd` never reaches this shell.
    pub(crate) fn in_child<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = self.cwd.clone();
        let functions = self.shell.functions.clone();
        let plain = self.shell.plain.clone();
        let r = f(self);
        self.cwd = saved;
        self.shell.functions = functions;
        self.shell.plain = plain;
        r
    }

    /// After a part that may not run: a variable is plain only if it was
    /// before and still is.
    fn plain_meet(&mut self, before: &[String]) {
        self.shell.plain.retain(|p| before.contains(p));
    }

    /// Analyse what may run or not, or run many times, in this shell (a
    /// branch, a loop body): functions it defines are not certain after it,
    /// and a directory it changes to is not known after it.
    fn branching<R>(&mut self, looping: bool, span: Span, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = self.cwd.clone();
        let functions = self.shell.functions.clone();
        let plain = self.shell.plain.clone();
        let r = if looping { self.unordered(f) } else { f(self) };
        self.plain_meet(&plain);
        if self.cwd != saved {
            if looping && !self.shell.cwd_reported {
                self.shell.cwd_reported = true;
                self.unmodelled(
                    DecisionCode::UnknownWorkingDirectory,
                    "a loop body changes the working directory: later rounds run elsewhere"
                        .to_string(),
                    span,
                    &[],
                );
            }
            self.cwd = Cwd::Unknown;
        }
        self.shell.functions = functions;
        r
    }

    // ----- the tree -----

    fn walk_list(&mut self, list: &ast::CompoundList, src: &Source, ctx: &Ctx) {
        for ast::CompoundListItem(and_or, sep) in &list.0 {
            if self.aborted {
                return;
            }
            let mut c = ctx.clone();
            if matches!(sep, ast::SeparatorOperator::Async) {
                // Runs in a child process: its `cd` and functions stay there.
                c.concurrent = true;
                self.in_child(|a| a.unordered(|a| a.walk_and_or(and_or, src, &c)));
            } else {
                self.walk_and_or(and_or, src, &c);
            }
        }
    }

    /// An `&&`/`||` chain. A `cd` in it moves the modelled directory only
    /// where its success is certain: for the `&&` commands after it, or
    /// after the chain when it ends in `|| exit`/`|| return`; otherwise the
    /// directory after the chain is unknown (the `cd` may have failed).
    fn walk_and_or(&mut self, ao: &ast::AndOrList, src: &Source, ctx: &Ctx) {
        let before = self.cwd.clone();
        self.walk_pipeline(&ao.first, src, ctx);
        if ao.additional.is_empty() {
            if self.cwd != before {
                self.cwd = Cwd::Unknown;
            }
            return;
        }
        let functions = self.shell.functions.clone();
        let plain = self.shell.plain.clone();
        let mut ok = self.cwd.clone();
        let mut guarded = false;
        for next in &ao.additional {
            // A right-hand side may not run: its functions are not certain,
            // nor the values it writes.
            self.shell.functions = functions.clone();
            self.plain_meet(&plain);
            match next {
                ast::AndOr::And(p) => {
                    self.cwd = ok.clone();
                    self.walk_pipeline(p, src, ctx);
                    ok = self.cwd.clone();
                    guarded = false;
                }
                ast::AndOr::Or(p) => {
                    self.cwd = if ok == before {
                        before.clone()
                    } else {
                        Cwd::Unknown
                    };
                    self.walk_pipeline(p, src, ctx);
                    if ends_shell(p) {
                        guarded = true;
                    } else {
                        if self.cwd != ok {
                            ok = Cwd::Unknown;
                        }
                        guarded = false;
                    }
                }
            }
        }
        self.shell.functions = functions;
        self.plain_meet(&plain);
        self.cwd = if guarded {
            ok
        } else if ok == before && self.cwd == before {
            before
        } else {
            Cwd::Unknown
        };
    }

    fn walk_pipeline(&mut self, p: &ast::Pipeline, src: &Source, ctx: &Ctx) {
        self.count_node();
        if p.seq.len() == 1 {
            self.walk_command(&p.seq[0], src, ctx);
            return;
        }
        // Each stage runs in a subshell: a `cd` or a function defined in one
        // does not carry over.
        let saved = self.cwd.clone();
        let functions = self.shell.functions.clone();
        let plain = self.shell.plain.clone();
        let mut downloads = false;
        let id = self.pipelines;
        self.pipelines += 1;
        let span = src.span(p.location().as_ref());
        // The last stage before this one that is not a copy of its input:
        // what a copy writes is the output of the stages from there on.
        let mut source = 0;
        for (i, stage) in p.seq.iter().enumerate() {
            let mut c = ctx.clone();
            c.concurrent = true;
            if i > 0 {
                c.stdin = Stdin::Pipe { downloads };
            }
            self.cwd = saved.clone();
            let before = self.effective_len();
            let outer = self.pipe_stage.replace((id, span, i));
            self.copy_stage =
                (i > 0 && matches!(stage, ast::Command::Simple(_))).then_some(StageRange {
                    pipeline: id,
                    span,
                    from: source,
                    to: i,
                });
            self.stage_copied = false;
            self.unordered(|a| a.walk_command(stage, src, &c));
            self.pipe_stage = outer;
            self.copy_stage = None;
            if !self.stage_copied {
                source = i;
            }
            downloads |= self.downloads_since(before);
            self.shell.functions = functions.clone();
            self.shell.plain = plain.clone();
        }
        self.cwd = saved;
    }

    fn walk_command(&mut self, c: &ast::Command, src: &Source, ctx: &Ctx) {
        if self.aborted {
            return;
        }
        self.count_node();
        match c {
            ast::Command::Simple(sc) => self.walk_simple(sc, src, ctx),
            ast::Command::Compound(cc, redirects) => {
                let span = src.span(cc.location().as_ref());
                let inner = self.compound_redirects(redirects.as_ref(), src, ctx, span);
                self.walk_compound(cc, src, &inner, span);
            }
            ast::Command::Function(f) => self.walk_function(f, src, ctx),
            ast::Command::ExtendedTest(t, redirects) => {
                let span = src.span(t.location().as_ref());
                let inner = self.compound_redirects(redirects.as_ref(), src, ctx, span);
                self.walk_test(&t.expr, src, &inner);
            }
        }
    }

    /// Check the redirections of a compound command; returns the context
    /// for its body (whose standard input they may change).
    fn compound_redirects(
        &mut self,
        redirects: Option<&ast::RedirectList>,
        src: &Source,
        ctx: &Ctx,
        span: Span,
    ) -> Ctx {
        let Some(list) = redirects else {
            return ctx.clone();
        };
        let redirs: Vec<Redir> = list
            .0
            .iter()
            .map(|r| self.redirect(r, src, ctx, span))
            .collect();
        let mut inner = ctx.clone();
        inner.stdin = stdin_of(&redirs, &ctx.stdin);
        self.check_redirects(&redirs, &[]);
        inner
    }

    fn walk_compound(&mut self, cc: &ast::CompoundCommand, src: &Source, ctx: &Ctx, span: Span) {
        let inner = ctx.nested();
        if !self.enter(&inner, span) {
            return;
        }
        use ast::CompoundCommand as C;
        match cc {
            C::Arithmetic(a) => {
                let at = src
                    .local_range(Some(&a.loc))
                    .and_then(|(s, _)| src.absolute(s + 2));
                self.expand_text(&a.expr.value, at, span, &inner);
                self.check_arith(&a.expr.value, span, &[]);
                self.arith_command_plain(&a.expr.value);
            }
            C::ArithmeticForClause(a) => {
                for e in [&a.initializer, &a.condition, &a.updater]
                    .into_iter()
                    .flatten()
                {
                    self.expand_text(&e.value, None, span, &inner);
                    self.check_arith(&e.value, span, &[]);
                }
                if let Some(init) = &a.initializer {
                    self.arith_command_plain(&init.value);
                }
                self.branching(true, span, |an| an.walk_list(&a.body.list, src, &inner));
            }
            C::BraceGroup(b) => self.walk_list(&b.list, src, &inner),
            C::Subshell(s) => self.in_child(|a| a.walk_list(&s.list, src, &inner)),
            C::ForClause(f) => {
                let mut values = Vec::new();
                for w in f.values.iter().flatten() {
                    values.extend(self.word_args(w, src, &inner));
                }
                // bash expands a glob in the word list as in a command's
                // words: it lists the glob's directory.
                self.check_glob_reads(&values);
                self.check_expanded_globs(&values);
                let listed = f.values.as_ref().map(|_| values.as_slice());
                self.for_variable(&f.variable_name, listed, span);
                self.branching(true, span, |a| a.walk_list(&f.body.list, src, &inner));
            }
            C::CaseClause(c) => {
                self.word_arg(&c.value, src, &inner, WordKind::Command);
                self.branching(false, span, |a| {
                    // One arm runs (or falls through): another arm's writes
                    // are not made before it.
                    let before = a.shell.plain.clone();
                    for item in &c.cases {
                        a.shell.plain.retain(|p| before.contains(p));
                        for p in &item.patterns {
                            a.word_arg(p, src, &inner, WordKind::Pattern);
                        }
                        if let Some(body) = &item.cmd {
                            a.walk_list(body, src, &inner);
                        }
                    }
                });
            }
            C::IfClause(i) => {
                self.walk_list(&i.condition, src, &inner);
                self.branching(false, span, |a| {
                    let before = a.shell.plain.clone();
                    a.walk_list(&i.then, src, &inner);
                    for e in i.elses.iter().flatten() {
                        // The branches before did not run.
                        a.shell.plain.retain(|p| before.contains(p));
                        if let Some(cond) = &e.condition {
                            a.walk_list(cond, src, &inner);
                        }
                        a.walk_list(&e.body, src, &inner);
                    }
                });
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                self.branching(true, span, |a| {
                    a.walk_list(&w.0, src, &inner);
                    a.walk_list(&w.1.list, src, &inner);
                });
            }
            C::Coprocess(c) => {
                if let Some(name) = &c.name {
                    self.word_arg(name, src, &inner, WordKind::Command);
                    // `coproc NAME …` assigns the array NAME (its
                    // descriptors) and NAME_PID in this shell.
                    let n = name.value.clone();
                    if super::shell::is_name(&n) {
                        for v in [n.clone(), format!("{n}_PID")] {
                            self.check_state_var(&v, span, &[], "coproc");
                            self.note_value(&v, None, span);
                        }
                    }
                }
                let mut co = inner.clone();
                co.wrappers.push("coproc".to_string());
                co.concurrent = true;
                // A coprocess runs in a subshell.
                self.in_child(|a| a.unordered(|a| a.walk_command(&c.body, src, &co)));
            }
        }
    }

    fn walk_function(&mut self, f: &ast::FunctionDefinition, src: &Source, ctx: &Ctx) {
        let name = f.fname.value.clone();
        let span = src.span(f.location().as_ref());
        // bash runs this function for every command it cannot find on
        // PATH (`git.exe` on Linux, a tool not installed), in the directory
        // and with the words of that command: calls the analysis cannot
        // place. Its definition is not modelled.
        let unquoted: String = name.chars().filter(|c| !"'\"\\".contains(*c)).collect();
        if unquoted == "command_not_found_handle" {
            self.unmodelled(
                DecisionCode::UnmodelledFunction,
                "command_not_found_handle: bash runs it for every command not found on PATH, wherever that command runs; not modelled".to_string(),
                span,
                &[],
            );
        }
        let mut inner = ctx.nested();
        inner.function = Some(name.clone());
        let outer = std::mem::take(&mut self.recursion);
        // The definition runs nothing: the body is judged here under the
        // current directory and its effects are applied at each call.
        let cwd = self.cwd.clone();
        let functions = self.shell.functions.clone();
        let plain = self.shell.plain.clone();
        self.shell.functions.push(name.clone());
        self.shell.defs.push(super::shell::FnDef {
            name: name.clone(),
            cwd: cwd.clone(),
            changes_cwd: false,
            wrappers: ctx.wrappers.clone(),
        });
        let body_ctx = self.compound_redirects(f.body.1.as_ref(), src, &inner, span);
        self.unordered(|a| a.walk_compound(&f.body.0, src, &body_ctx, span));
        let changes_cwd = self.cwd != cwd;
        self.cwd = cwd;
        self.shell.functions = functions;
        self.shell.plain = plain;
        self.shell.functions.push(name.clone());
        if let Some(d) = self.shell.defs.iter_mut().rev().find(|d| d.name == name) {
            d.changes_cwd = changes_cwd;
        }
        let rec = std::mem::replace(&mut self.recursion, outer);
        if rec.calls > 0 && rec.concurrent {
            self.finding(
                Verdict::Deny,
                DecisionCode::DangerousCommand,
                format!(
                    "fork bomb: function {} starts copies of itself concurrently",
                    clip(&name)
                ),
                span,
                &[],
                None,
            );
        }
    }

    /// A file test of `[[ … ]]` (`-e F`, `A -nt B`) reads the metadata of
    /// its operands, judged as in `test` (`builtins::check_file_tests`).
    fn file_test(&mut self, op: &str, operands: &[&Arg]) {
        let Some(first) = operands.first() else {
            return;
        };
        let mut argv = vec![Arg::literal("[[", first.span)];
        match operands {
            [x, y] => argv.extend([(*x).clone(), Arg::literal(op, first.span), (*y).clone()]),
            _ => argv.extend([Arg::literal(op, first.span), (*first).clone()]),
        }
        self.check_file_tests(&argv, 1);
    }

    fn walk_test(&mut self, e: &ast::ExtendedTestExpr, src: &Source, ctx: &Ctx) {
        if self.aborted {
            return;
        }
        self.count_node();
        use ast::ExtendedTestExpr as T;
        match e {
            T::And(a, b) | T::Or(a, b) => {
                self.walk_test(a, src, ctx);
                self.walk_test(b, src, ctx);
            }
            T::Not(a) | T::Parenthesized(a) => self.walk_test(a, src, ctx),
            T::UnaryTest(op, w) => {
                let arg = self.word_arg(w, src, ctx, WordKind::Pattern);
                self.file_test(&op.to_string(), &[&arg]);
                if matches!(op, ast::UnaryPredicate::ShellVariableIsSetAndAssigned) {
                    let argv = [
                        Arg::literal("test", arg.span),
                        Arg::literal("-v", arg.span),
                        arg,
                    ];
                    self.check_shell_builtin(&argv, "test");
                }
            }
            T::BinaryTest(op, a, b) => {
                let x = self.word_arg(a, src, ctx, WordKind::Pattern);
                let y = self.word_arg(b, src, ctx, WordKind::Pattern);
                self.file_test(&op.to_string(), &[&x, &y]);
                use ast::BinaryPredicate as B;
                if matches!(
                    op,
                    B::ArithmeticEqualTo
                        | B::ArithmeticNotEqualTo
                        | B::ArithmeticLessThan
                        | B::ArithmeticLessThanOrEqualTo
                        | B::ArithmeticGreaterThan
                        | B::ArithmeticGreaterThanOrEqualTo
                ) {
                    // `[[ x -eq y ]]` evaluates both sides as arithmetic.
                    for v in [x, y] {
                        let text = v.value.clone().unwrap_or(v.text.clone());
                        self.check_arith(&text, v.span, &[]);
                    }
                }
            }
        }
    }

    fn walk_simple(&mut self, sc: &ast::SimpleCommand, src: &Source, ctx: &Ctx) {
        let span = src.span(sc.location().as_ref());
        self.count_simple(span);
        if self.aborted {
            return;
        }
        let mut cmd = SimpleCmd {
            assignments: Vec::new(),
            argv: Vec::new(),
            redirects: Vec::new(),
            span,
        };
        self.fd_name_redirects(sc, src);
        let prefix = sc.prefix.iter().flat_map(|p| p.0.iter());
        let suffix = sc.suffix.iter().flat_map(|s| s.0.iter());
        for item in prefix {
            self.simple_item(item, src, ctx, &mut cmd);
        }
        if let Some(name) = &sc.word_or_name {
            let args = self.word_args(name, src, ctx);
            cmd.argv.extend(args);
        }
        for item in suffix {
            self.simple_item(item, src, ctx, &mut cmd);
        }
        if self.aborted {
            return;
        }
        // The parser's location of a simple command leaves out trailing
        // redirections: take every part's span.
        let parts = cmd
            .argv
            .iter()
            .map(|a| a.span)
            .chain(cmd.assignments.iter().map(|a| a.span))
            .chain(cmd.redirects.iter().map(|r| r.span))
            .filter(|s| s[1] > s[0]);
        for s in parts {
            cmd.span = [cmd.span[0].min(s[0]), cmd.span[1].max(s[1])];
        }
        let mut c = ctx.clone();
        c.stdin = stdin_of(&cmd.redirects, &ctx.stdin);
        self.judge(cmd, &c);
    }

    /// `{NAME}>file`, `{NAME}<file`, `{NAME}>&-`: bash stores the
    /// descriptor number in NAME (on any command, builtin or not). The
    /// parser reads `{NAME}` as a word before a redirection without a
    /// descriptor number; that write is judged like any other write to
    /// NAME. A space between (`{NAME} >file`, an ordinary word) is judged
    /// the same: it only matters for names the shell acts on.
    fn fd_name_redirects(&mut self, sc: &ast::SimpleCommand, src: &Source) {
        use ast::CommandPrefixOrSuffixItem as I;
        use ast::IoRedirect as R;
        // Each part in order: a word, a redirection without a descriptor
        // number, or anything else.
        let mut parts: Vec<(Option<&ast::Word>, bool)> = Vec::new();
        let prefix = sc.prefix.iter().flat_map(|p| p.0.iter());
        let suffix = sc.suffix.iter().flat_map(|s| s.0.iter());
        fn part(item: &ast::CommandPrefixOrSuffixItem) -> (Option<&ast::Word>, bool) {
            match item {
                I::Word(w) => (Some(w), false),
                I::IoRedirect(
                    R::File(None, ..) | R::HereDocument(None, _) | R::HereString(None, _),
                ) => (None, true),
                _ => (None, false),
            }
        }
        parts.extend(prefix.map(part));
        parts.extend(sc.word_or_name.iter().map(|w| (Some(w), false)));
        parts.extend(suffix.map(part));
        let words = parts.iter().map(|p| p.0);
        let redirect_follows = parts.iter().skip(1).map(|p| p.1);
        for (w, follows) in words.into_iter().zip(redirect_follows) {
            let Some(w) = w.filter(|_| follows) else {
                continue;
            };
            let Some(name) = w
                .value
                .strip_prefix('{')
                .and_then(|v| v.strip_suffix('}'))
                .filter(|n| super::shell::is_name(n))
            else {
                continue;
            };
            let span = src.span(w.loc.as_ref());
            self.check_state_var(name, span, &[], "a {NAME} redirection");
        }
    }

    fn simple_item(
        &mut self,
        item: &ast::CommandPrefixOrSuffixItem,
        src: &Source,
        ctx: &Ctx,
        cmd: &mut SimpleCmd,
    ) {
        if self.aborted {
            return;
        }
        use ast::CommandPrefixOrSuffixItem as I;
        match item {
            I::IoRedirect(r) => {
                let r = self.redirect(r, src, ctx, cmd.span);
                cmd.redirects.push(r);
            }
            I::Word(w) => {
                let args = self.word_args(w, src, ctx);
                cmd.argv.extend(args);
            }
            I::AssignmentWord(a, w) => {
                // `declare -A m=(…)`: m's keys are strings.
                let assoc = cmd
                    .argv
                    .first()
                    .and_then(|c| c.lit())
                    .is_some_and(|c| matches!(c, "declare" | "typeset" | "local" | "readonly"))
                    && cmd.argv[1..].iter().any(|o| {
                        o.lit()
                            .is_some_and(|o| o.starts_with('-') && o.contains('A'))
                    });
                if let (true, ast::AssignmentName::VariableName(n)) = (assoc, &a.name) {
                    self.shell.assoc.push(n.clone());
                }
                let assign = self.assignment(a, src, ctx);
                if cmd.argv.is_empty() {
                    cmd.assignments.push(assign);
                } else {
                    // An operand of `export`/`declare`/…: keep it as a word too.
                    let value = assign.value.as_ref().and_then(|v| v.value.clone());
                    let mut arg = Arg::dynamic(&w.value, assign.span);
                    if let Some(v) = value {
                        arg.value = Some(format!("{}={v}", assign.name));
                    }
                    if let Some(v) = &assign.value {
                        arg.has_subst = v.has_subst;
                        arg.downloads = v.downloads;
                    }
                    // Outside the declaration builtins (which assign, and
                    // whose values are modelled as assignments) the word is
                    // an operand bash still tilde-expands after `NAME=`.
                    let declares = cmd.argv[0].lit().is_some_and(|c| {
                        matches!(c, "declare" | "typeset" | "local" | "readonly" | "export")
                    });
                    if !declares {
                        arg = super::normalize::tilde_after_name(arg, &w.value);
                    }
                    cmd.argv.push(arg);
                }
            }
            I::ProcessSubstitution(kind, sub) => {
                let span = src.span(Some(&sub.loc));
                let mut inner = ctx.nested();
                inner.concurrent = true;
                let before = self.effective_len();
                if self.enter(&inner, span) {
                    // It runs beside the command, and bash does not wait
                    // for it: what the rest of the line writes may come
                    // first.
                    self.in_child(|a| a.unordered(|a| a.walk_list(&sub.list, src, &inner)));
                }
                let mut arg = Arg::dynamic(
                    match kind {
                        ast::ProcessSubstitutionKind::Read => "<(…)",
                        ast::ProcessSubstitutionKind::Write => ">(…)",
                    },
                    span,
                );
                arg.procsub = true;
                arg.has_subst = true;
                arg.downloads = self.downloads_since(before);
                cmd.argv.push(arg);
            }
        }
    }

    fn assignment(&mut self, a: &ast::Assignment, src: &Source, ctx: &Ctx) -> Assign {
        self.count_node();
        let span = src.span(Some(&a.loc));
        let mut key = None;
        let name = match &a.name {
            ast::AssignmentName::VariableName(n) => n.clone(),
            ast::AssignmentName::ArrayElementName(n, index) => {
                key = Some(index.clone());
                if self.shell.assoc.contains(n) {
                    // An associative array's key is a string.
                    let inner = ctx.nested();
                    if self.enter(&inner, span) {
                        self.expand_text(index, None, span, &inner);
                    }
                } else {
                    self.arithmetic(index, None, span, ctx);
                }
                n.clone()
            }
        };
        let mut elements_plain = true;
        let plain = |a: &Arg| a.lit().is_some_and(|t| !t.contains(['*', '?', '[']));
        let value = match &a.value {
            ast::AssignmentValue::Scalar(w) => Some(self.word_arg(w, src, ctx, WordKind::Command)),
            ast::AssignmentValue::Array(items) => {
                let assoc = self.shell.assoc.contains(&name);
                for (key, w) in items {
                    if let Some(k) = key {
                        let k = self.word_arg(k, src, ctx, WordKind::Pattern);
                        elements_plain &= plain(&k);
                        // An indexed array's key is arithmetic.
                        if !assoc {
                            self.check_arith(&k.text, span, &[]);
                        }
                    }
                    // An element is pathname-expanded as a command's word
                    // (`a=(~/.ssh/*)` lists `~/.ssh`).
                    let item = self.word_arg(w, src, ctx, WordKind::Command);
                    elements_plain &= plain(&item);
                    self.check_glob_reads(std::slice::from_ref(&item));
                    self.check_expanded_globs(std::slice::from_ref(&item));
                }
                None
            }
        };
        Assign {
            name,
            index: key,
            value,
            elements_plain,
            span,
        }
    }

    fn redirect(&mut self, r: &ast::IoRedirect, src: &Source, ctx: &Ctx, cmd_span: Span) -> Redir {
        self.count_node();
        use ast::IoFileRedirectKind as K;
        use ast::IoRedirect as R;
        match r {
            R::File(fd, kind, target) => {
                let op = match kind {
                    K::Read => "<",
                    K::Write => ">",
                    K::Append => ">>",
                    K::ReadAndWrite => "<>",
                    K::Clobber => ">|",
                    K::DuplicateInput => "<&",
                    K::DuplicateOutput => ">&",
                };
                let (target, span) = match target {
                    ast::IoFileRedirectTarget::Filename(w) => {
                        let arg = self.command_word(w, src, ctx);
                        let span = arg.span;
                        (Target::File(arg), span)
                    }
                    ast::IoFileRedirectTarget::Fd(n) => (Target::Fd(n.to_string()), cmd_span),
                    ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => {
                        let span = src.span(Some(&sub.loc));
                        let mut inner = ctx.nested();
                        inner.concurrent = true;
                        let before = self.effective_len();
                        if self.enter(&inner, span) {
                            // Not waited for, as above.
                            self.in_child(|a| a.unordered(|a| a.walk_list(&sub.list, src, &inner)));
                        }
                        (
                            Target::ProcSub {
                                downloads: self.downloads_since(before),
                            },
                            span,
                        )
                    }
                    ast::IoFileRedirectTarget::Duplicate(w) => {
                        let arg = self.command_word(w, src, ctx);
                        let span = arg.span;
                        match arg.lit() {
                            Some(v)
                                if v == "-"
                                    || (!v.is_empty()
                                        && v.trim_end_matches('-')
                                            .chars()
                                            .all(|c| c.is_ascii_digit())) =>
                            {
                                (Target::Fd(v.to_string()), span)
                            }
                            _ => (Target::File(arg), span),
                        }
                    }
                };
                Redir {
                    fd: *fd,
                    op,
                    target,
                    span,
                }
            }
            R::HereDocument(fd, h) => {
                let span = h
                    .doc
                    .loc
                    .as_ref()
                    .map(|l| src.span(Some(l)))
                    .unwrap_or(cmd_span);
                let before = self.effective_len();
                if h.requires_expansion
                    && super::shell::heredoc_ends_early(
                        &h.doc.value,
                        &h.here_end.value,
                        h.remove_tabs,
                    )
                {
                    self.unmodelled(
                        DecisionCode::UnmodelledSyntax,
                        "a line continuation in the here-document forms its end line: bash ends it earlier and runs the rest as commands".to_string(),
                        span,
                        &[],
                    );
                }
                let body = if h.requires_expansion {
                    let at = self
                        .input
                        .get(span[0]..span[1])
                        .and_then(|s| s.find(&h.doc.value))
                        .map(|i| span[0] + i);
                    self.expand_text(&h.doc.value, at, span, ctx)
                } else {
                    self.count_node();
                    Some(h.doc.value.clone())
                };
                Redir {
                    fd: *fd,
                    op: if h.remove_tabs { "<<-" } else { "<<" },
                    target: Target::Text {
                        body,
                        downloads: self.downloads_since(before),
                    },
                    span,
                }
            }
            R::HereString(fd, w) => {
                let arg = self.command_word(w, src, ctx);
                let span = arg.span;
                Redir {
                    fd: *fd,
                    op: "<<<",
                    target: Target::Text {
                        body: arg.value.clone(),
                        downloads: arg.downloads,
                    },
                    span,
                }
            }
            R::OutputAndError(w, append) => {
                let arg = self.command_word(w, src, ctx);
                let span = arg.span;
                Redir {
                    fd: None,
                    op: if *append { "&>>" } else { "&>" },
                    target: Target::File(arg),
                    span,
                }
            }
        }
    }
}

/// The standard input a command gets, given its redirections.
pub(crate) fn stdin_of(redirects: &[Redir], inherited: &Stdin) -> Stdin {
    let mut stdin = inherited.clone();
    for r in redirects {
        let to_stdin = r.fd.unwrap_or(0) == 0;
        match (&r.target, r.op) {
            (Target::Text { body, downloads }, _) if to_stdin => {
                stdin = Stdin::Text {
                    body: body.clone(),
                    span: r.span,
                    downloads: *downloads,
                }
            }
            (Target::ProcSub { downloads }, "<") if to_stdin => {
                stdin = Stdin::Pipe {
                    downloads: *downloads,
                }
            }
            (Target::File(a), "<" | "<>") if to_stdin => stdin = Stdin::File(Some(a.clone())),
            _ => {}
        }
    }
    stdin
}

fn verdict_of(s: &str) -> Verdict {
    match s {
        "deny" => Verdict::Deny,
        "ask" => Verdict::Ask,
        _ => Verdict::Allow,
    }
}

/// `exit` or `return`: the shell (or function) ends there.
fn ends_shell(p: &ast::Pipeline) -> bool {
    match p.seq.as_slice() {
        [ast::Command::Simple(sc)] => sc
            .word_or_name
            .as_ref()
            .is_some_and(|w| matches!(w.value.as_str(), "exit" | "return")),
        _ => false,
    }
}
