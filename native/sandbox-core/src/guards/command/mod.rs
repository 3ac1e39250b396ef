//! The command validator: decides `check_command(command)` on a real bash
//! parse of the command (docs/policy.md, Commands; documented in `docs/commands.md`).
//!
//! The path of a check:
//! 1. [`prescreen`]: size, empty input, forbidden characters.
//! 2. [`parse`]: one parse of the text with brush-parser; nested texts
//!    (`$(…)`, `bash -c '…'`, …) are parsed once each when visited.
//! 3. [`walk`]: visits every node, counts the limits, and hands each simple
//!    command, its words normalized by [`normalize`], to [`judge`].
//! 4. [`judge`]: unwraps [`wrappers`] and applies [`rules`], the built-in
//!    [`dangers`], [`env`] screening and [`files`] checks on every layer.
//! 5. All findings combine deny > ask > allow.

mod archive_keys;
mod braces;
mod builtins;
mod compile_outputs;
mod computed_names;
#[cfg(test)]
#[allow(dead_code)]
mod coverage;
mod curl_options;
mod curl_urls;
mod dangers;
mod dialect;
mod env;
mod fetched;
mod file_options;
mod files;
mod follow_tree;
mod fsglob;
mod git_clusters;
mod git_copies;
mod git_model;
mod git_objects;
mod git_patches;
mod git_revisions;
mod globs;
mod go_outputs;
mod implied;
mod jar_manifest;
mod judge;
mod known;
pub mod limits;
mod links;
mod long_options;
mod minilang;
mod moved_links;
mod msbuild;
mod net_config;
mod net_destinations;
mod normalize;
mod npm_config;
mod options;
mod parse;
mod pip_requirements;
mod pkg_models;
mod prescreen;
mod processors;
mod programs;
mod project;
mod project_files;
mod renames;
mod repls;
mod rules;
mod shell;
mod sources;
mod ssh_control;
mod ssh_options;
mod stores;
mod subcommands;
mod submodules;
mod tool_inputs;
mod tool_options;
mod tool_programs;
mod tool_tables;
mod trees;
mod walk;
mod wget_options;
mod wrappers;

use serde::Serialize;

use crate::decision::{Decision, DecisionCode, Verdict};
use crate::error::Error;
use crate::guards::filesystem::FilesystemGuard;
use crate::guards::network::NetworkGuard;
use crate::policy::{CommandMode, CommandPolicy};

use rules::RuleSet;

/// Byte offsets `[start, end)` into the analysed command.
pub type Span = [usize; 2];

/// The full analysis of a command: the decision, the findings behind it and
/// the commands that would really run. Serialized as JSON by
/// `sandbox_analyze_command`; the field names are stable (see
/// `docs/commands.md`).
#[derive(Debug, Clone, Serialize)]
pub struct CommandAnalysis {
    /// `allow`, `ask` or `deny`: the most severe finding, or `allow`.
    pub verdict: &'static str,
    /// The decision code of the deciding finding (`ALLOWED` when none).
    pub code: &'static str,
    /// Human-readable reason of the decision.
    pub reason: String,
    /// The policy rule that decided, if any.
    pub rule: Option<String>,
    /// Every reason found, in the order found; the first of the most severe
    /// verdict decides.
    pub findings: Vec<Finding>,
    /// The simple commands that would run, after unwrapping wrappers.
    pub commands: Vec<EffectiveCommand>,
    /// How much work the analysis did, against the limits.
    pub stats: Stats,
}

/// One reason behind a command decision.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `ask` or `deny` (findings never say `allow`).
    pub verdict: &'static str,
    /// Stable decision code, e.g. `DYNAMIC_COMMAND_NAME`.
    pub code: &'static str,
    /// What is wrong, naming the offending part.
    pub message: String,
    /// Byte offsets `[start, end)` of the offending part of the input.
    pub span: [usize; 2],
    /// The normalized argv of the command concerned (a word computed at run
    /// time is shown as its source text); empty for findings about the text.
    pub argv: Vec<String>,
    /// The policy rule involved, e.g. `commands.blocked_commands[2]: rm`.
    pub rule: Option<String>,
}

/// A simple command as it would run.
#[derive(Debug, Clone, Serialize)]
pub struct EffectiveCommand {
    /// Literal argv after quote removal; `null` entries are computed at run
    /// time (expansions, substitutions, globs). `~` stands for the home.
    pub argv: Vec<Option<String>>,
    /// Wrappers unwrapped to reach this command, outermost first (e.g.
    /// `sudo`, `bash -c`, `xargs`).
    pub wrappers: Vec<String>,
    /// Redirections of this command.
    pub redirects: Vec<Redirect>,
    /// Byte offsets of the command in the input.
    pub span: [usize; 2],
    /// Nesting depth where the command stands (0 = top level).
    pub depth: usize,
}

/// A redirection of an effective command.
#[derive(Debug, Clone, Serialize)]
pub struct Redirect {
    /// The operator: `>`, `>>`, `<`, `<>`, `>|`, `&>`, `&>>`, `>&`, `<&`,
    /// `<<`, `<<-`, `<<<`.
    pub op: String,
    /// The file descriptor redirected, when written explicitly.
    pub fd: Option<i32>,
    /// The literal target (file name, fd number); `null` when computed at run
    /// time, a process substitution, or here-document text.
    pub target: Option<String>,
}

/// Work done by one analysis.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Bytes of the input.
    pub input_bytes: usize,
    /// Texts handed to the parser (the input, then each nested text once).
    pub parses: usize,
    /// Total bytes handed to the parser (programs, words, here-documents).
    pub parsed_bytes: usize,
    /// Syntax nodes visited.
    pub nodes: usize,
    /// Simple commands visited.
    pub simple_commands: usize,
    /// Deepest nesting reached.
    pub max_depth: usize,
}

impl CommandAnalysis {
    /// The decision as the other checks return it.
    pub fn decision(&self) -> Decision {
        let verdict = match self.verdict {
            "allow" => Verdict::Allow,
            "ask" => Verdict::Ask,
            _ => Verdict::Deny,
        };
        Decision {
            verdict,
            code: DecisionCode::from_name(self.code).unwrap_or(DecisionCode::InternalError),
            reason: self.reason.clone(),
            rule: self.rule.clone(),
        }
    }

    /// Compact JSON (snake_case field names).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an analysis always serializes")
    }
}

/// The compiled command part of a policy.
#[derive(Debug)]
pub struct CommandGuard {
    mode: CommandMode,
    allow_sudo: bool,
    allowed: RuleSet,
    blocked: RuleSet,
}

impl CommandGuard {
    /// Compile the command policy. Each rule is tokenized like shell words
    /// once; a rule that is not a plain list of words (operators,
    /// expansions, redirections, unbalanced quotes) is an `InvalidPolicy`
    /// error naming `commands.allowed_commands[i]` or
    /// `commands.blocked_commands[i]`.
    pub fn new(policy: &CommandPolicy) -> Result<CommandGuard, Error> {
        Ok(CommandGuard {
            mode: policy.mode,
            allow_sudo: policy.allow_sudo,
            allowed: RuleSet::compile(
                "commands.allowed_commands",
                policy.allowed_commands.as_deref().unwrap_or_default(),
            )?,
            blocked: RuleSet::compile(
                "commands.blocked_commands",
                policy.blocked_commands.as_deref().unwrap_or_default(),
            )?
            .blocking(),
        })
    }

    /// Decide a command.
    pub fn check(&self, command: &str, fs: &FilesystemGuard) -> Decision {
        self.analyze(command, fs).decision()
    }

    /// Decide a command and explain the decision.
    pub fn analyze(&self, command: &str, fs: &FilesystemGuard) -> CommandAnalysis {
        walk::Analyzer::new(self, fs, None, command).run()
    }

    /// Decide a command with the policy's network guard judging the URLs
    /// its tools connect to (see docs/commands.md, "Network destinations").
    pub fn analyze_with_network(
        &self,
        command: &str,
        fs: &FilesystemGuard,
        net: &NetworkGuard,
    ) -> CommandAnalysis {
        walk::Analyzer::new(self, fs, Some(net), command).run()
    }
}

#[cfg(test)]
mod backup_link_tests;
#[cfg(test)]
mod bash_end_tests;
#[cfg(test)]
mod bash_reading_tests;
#[cfg(test)]
mod build_tool_tests;
#[cfg(test)]
mod code_runner_tests;
#[cfg(test)]
mod computed_name_tests;
#[cfg(test)]
mod copy_tree_tests;
#[cfg(test)]
mod curl_url_tests;
#[cfg(test)]
mod expansion_glob_tests;
#[cfg(test)]
mod git_location_tests;
#[cfg(test)]
mod git_tree_tests;
#[cfg(test)]
mod later_code_tests;
#[cfg(test)]
mod link_tests;
#[cfg(test)]
mod make_environment_tests;
#[cfg(test)]
mod net_config_tests;
#[cfg(test)]
mod net_destination_tests;
#[cfg(test)]
mod order_tests;
#[cfg(test)]
mod other_name_tests;
#[cfg(test)]
mod package_source_tests;
#[cfg(test)]
mod pkg_config_tests;
#[cfg(test)]
mod pkg_option_tests;
#[cfg(test)]
mod reach_tests;
#[cfg(test)]
mod remote_tests;
#[cfg(test)]
mod renaming_tests;
#[cfg(test)]
mod revision_tests;
#[cfg(test)]
mod runner_tests;
#[cfg(test)]
mod stdin_order_tests;
#[cfg(test)]
mod subcommand_rule_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tool_input_tests;
#[cfg(test)]
mod tool_scope_tests;

#[cfg(test)]
mod option_harness;
#[cfg(test)]
mod option_tests;
#[cfg(test)]
mod tool_table_tests;
#[cfg(test)]
mod tree_tests;
