//! The command validator: decides `check_command(command)`.

use serde::Serialize;

use crate::decision::{Decision, DecisionCode, Verdict};
use crate::error::Error;
use crate::guards::filesystem::FilesystemGuard;
use crate::policy::{CommandMode, CommandPolicy};

/// The full analysis of a command: the decision, the findings behind it and
/// the commands that would really run.
#[derive(Debug, Clone, Serialize)]
pub struct CommandAnalysis {
    pub verdict: &'static str,
    pub code: &'static str,
    pub reason: String,
    pub rule: Option<String>,
    pub findings: Vec<Finding>,
    pub commands: Vec<EffectiveCommand>,
}

/// One reason behind a command decision.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub verdict: &'static str,
    pub code: &'static str,
    pub message: String,
    /// Byte offsets `[start, end)` of the offending part of the input.
    pub span: [usize; 2],
    pub argv: Vec<String>,
    pub rule: Option<String>,
}

/// A simple command as it would run.
#[derive(Debug, Clone, Serialize)]
pub struct EffectiveCommand {
    /// Literal argv after quote removal; `None` entries were dynamic.
    pub argv: Vec<Option<String>>,
    /// Wrappers unwrapped to reach this command, outermost first.
    pub wrappers: Vec<String>,
    /// Redirections: operator and target.
    pub redirects: Vec<Redirect>,
    pub span: [usize; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct Redirect {
    pub op: String,
    pub target: Option<String>,
}

impl CommandAnalysis {
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

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an analysis always serializes")
    }
}

/// The compiled command part of a policy.
#[derive(Debug)]
pub struct CommandGuard {
    mode: CommandMode,
    allowed: Vec<String>,
    blocked: Vec<String>,
}

impl CommandGuard {
    pub fn new(policy: &CommandPolicy) -> Result<CommandGuard, Error> {
        Ok(CommandGuard {
            mode: policy.mode,
            allowed: policy.allowed_commands.clone().unwrap_or_default(),
            blocked: policy.blocked_commands.clone().unwrap_or_default(),
        })
    }

    pub fn check(&self, command: &str, fs: &FilesystemGuard) -> Decision {
        self.analyze(command, fs).decision()
    }

    pub fn analyze(&self, command: &str, _fs: &FilesystemGuard) -> CommandAnalysis {
        let decision = self.decide(command);
        CommandAnalysis {
            verdict: decision.verdict.as_str(),
            code: decision.code.as_str(),
            reason: decision.reason,
            rule: decision.rule,
            findings: Vec::new(),
            commands: Vec::new(),
        }
    }

    fn decide(&self, command: &str) -> Decision {
        let words: Vec<&str> = command.split_whitespace().collect();
        if words.is_empty() {
            return Decision::deny(DecisionCode::EmptyCommand, "command is empty", None);
        }
        let matches = |rule: &String| {
            let r: Vec<&str> = rule.split_whitespace().collect();
            words.len() >= r.len() && words[..r.len()] == r[..]
        };
        match self.mode {
            CommandMode::Whitelist if !self.allowed.iter().any(matches) => Decision::deny(
                DecisionCode::CommandNotAllowed,
                format!("{} matches no allowed command", words[0]),
                None,
            ),
            CommandMode::Blacklist if self.blocked.iter().any(matches) => Decision::deny(
                DecisionCode::BlockedCommand,
                format!("{} is blocked", words[0]),
                None,
            ),
            _ => Decision::allow("command allowed", None),
        }
    }
}
