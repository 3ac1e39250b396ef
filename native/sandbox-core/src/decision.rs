//! What a guard decides: a verdict, a stable machine code, a human reason and
//! the policy rule that decided.

use std::fmt;

/// The outcome of a check. Ordered by severity so that combining decisions is
/// `max`: deny > ask > allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u32)]
pub enum Verdict {
    /// The policy allows the action.
    Allow = 0,
    /// A human may approve the action; a headless caller treats it as deny.
    Ask = 1,
    /// The policy refuses the action.
    Deny = 2,
}

impl Verdict {
    /// The lower-case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Ask => "ask",
            Verdict::Deny => "deny",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! decision_codes {
    ($( $(#[$doc:meta])* $name:ident = $num:literal => $text:literal, )*) => {
        /// Stable machine codes of decisions. The numbers cross the C ABI and
        /// are mirrored by the Java `DecisionCode` enum (a test keeps the two
        /// in step); never renumber, only append.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum DecisionCode {
            $( $(#[$doc])* $name = $num, )*
        }

        impl DecisionCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [DecisionCode] = &[$(DecisionCode::$name,)*];

            /// The code's stable name, e.g. `BLOCKED_PATH`.
            pub fn as_str(self) -> &'static str {
                match self { $(DecisionCode::$name => $text,)* }
            }

            /// The code with this number, if any.
            pub fn from_u32(n: u32) -> Option<DecisionCode> {
                match n { $($num => Some(DecisionCode::$name),)* _ => None }
            }

            /// The code with this name, if any.
            pub fn from_name(s: &str) -> Option<DecisionCode> {
                match s { $($text => Some(DecisionCode::$name),)* _ => None }
            }
        }
    };
}

decision_codes! {
    /// The action is allowed.
    Allowed = 0 => "ALLOWED",
    /// The request itself is malformed (bad JSON line, unknown operation).
    BadRequest = 1 => "BAD_REQUEST",
    /// The engine failed internally; fail closed.
    InternalError = 2 => "INTERNAL_ERROR",

    // Filesystem
    /// Empty path, NUL byte, or otherwise unusable path text.
    InvalidPath = 10 => "INVALID_PATH",
    /// The target is under a `blocked_paths` entry.
    BlockedPath = 11 => "BLOCKED_PATH",
    /// The target is outside the workspace and every allowed path (workspace mode).
    OutsideWorkspace = 12 => "OUTSIDE_WORKSPACE",
    /// The target is outside every `allowed_paths` entry (strict mode).
    OutsideAllowedPaths = 13 => "OUTSIDE_ALLOWED_PATHS",
    /// A component below the matched root starts with `.` and hidden files are off.
    HiddenFile = 14 => "HIDDEN_FILE",
    /// A symlink on the way, or creating one, while `allow_symlinks` is false.
    SymlinkNotAllowed = 15 => "SYMLINK_NOT_ALLOWED",
    /// Too many symlink hops or a loop.
    SymlinkLoop = 16 => "SYMLINK_LOOP",
    /// A device or kernel interface path (`/dev`, `/proc`, `/sys`).
    DevicePath = 17 => "DEVICE_PATH",
    /// A protected file (git hooks and config, shell rc files, credentials).
    ProtectedPath = 18 => "PROTECTED_PATH",
    /// Deleting or renaming a root of the policy, or an ancestor of a blocked entry.
    RootOperation = 19 => "ROOT_OPERATION",
    /// A write larger than `limits.max_file_size`.
    FileTooLarge = 20 => "FILE_TOO_LARGE",
    /// The path could not be resolved (an error other than "not found").
    ResolutionError = 21 => "RESOLUTION_ERROR",
    /// A path form the platform forbids (device namespace, UNC, reserved name, stream).
    PlatformPath = 22 => "PLATFORM_PATH",
    /// The filesystem changed between the check and the operation (a link or
    /// directory was swapped in); the operation was not done.
    PathChanged = 23 => "PATH_CHANGED",

    // Network
    /// `network.enabled` is false.
    NetworkDisabled = 30 => "NETWORK_DISABLED",
    /// The URL does not parse.
    InvalidUrl = 31 => "INVALID_URL",
    /// The raw URL text is unsafe: control characters, backslash, credentials, `@` in the authority.
    UnsafeUrl = 32 => "UNSAFE_URL",
    /// The scheme is not allowed by the policy.
    SchemeNotAllowed = 33 => "SCHEME_NOT_ALLOWED",
    /// The HTTP method is not allowed.
    MethodNotAllowed = 34 => "METHOD_NOT_ALLOWED",
    /// The host is under a `blocked_domains` entry.
    BlockedDomain = 35 => "BLOCKED_DOMAIN",
    /// The host matches no `allowed_domains` entry.
    DomainNotAllowed = 36 => "DOMAIN_NOT_ALLOWED",
    /// A loopback target while `allow_localhost` is false.
    LocalhostNotAllowed = 37 => "LOCALHOST_NOT_ALLOWED",
    /// A private, link-local, reserved or otherwise special address.
    PrivateAddress = 38 => "PRIVATE_ADDRESS",
    /// A cloud metadata name or address.
    MetadataEndpoint = 39 => "METADATA_ENDPOINT",
    /// The port is not the one an `host:port` entry allows.
    PortNotAllowed = 40 => "PORT_NOT_ALLOWED",
    /// A name resolved to an address that is not allowed.
    ResolvedAddressDenied = 41 => "RESOLVED_ADDRESS_DENIED",
    /// Too many redirects.
    TooManyRedirects = 42 => "TOO_MANY_REDIRECTS",

    // Commands
    /// Empty or whitespace-only command.
    EmptyCommand = 50 => "EMPTY_COMMAND",
    /// A forbidden character (control, bidi, zero-width, NBSP outside quotes).
    ForbiddenCharacter = 51 => "FORBIDDEN_CHARACTER",
    /// The command exceeds a size, depth or node limit.
    CommandTooComplex = 52 => "COMMAND_TOO_COMPLEX",
    /// The command does not parse as bash, or uses syntax the analysis does not support.
    ParseError = 53 => "PARSE_ERROR",
    /// The command name is computed at run time.
    DynamicCommandName = 54 => "DYNAMIC_COMMAND_NAME",
    /// A simple command matches no `allowed_commands` rule (whitelist mode).
    CommandNotAllowed = 55 => "COMMAND_NOT_ALLOWED",
    /// A simple command matches a `blocked_commands` rule.
    BlockedCommand = 56 => "BLOCKED_COMMAND",
    /// Privilege escalation (`sudo`, `doas`, `su`, …) while `allow_sudo` is false.
    SudoNotAllowed = 57 => "SUDO_NOT_ALLOWED",
    /// A built-in danger: recursive delete of `/`, `dd` onto a device, `mkfs`, fork bomb, …
    DangerousCommand = 58 => "DANGEROUS_COMMAND",
    /// A tool flag that runs arbitrary code (`git -c`, `find -exec`, `rg --pre`, …).
    DangerousFlag = 59 => "DANGEROUS_FLAG",
    /// A download piped into a shell or interpreter.
    DownloadToShell = 60 => "DOWNLOAD_TO_SHELL",
    /// Inline code for an interpreter (`python -c`, `eval`, …).
    InlineCode = 61 => "INLINE_CODE",
    /// A wrapper whose wrapped command cannot be determined.
    UnknownWrapper = 62 => "UNKNOWN_WRAPPER",
    /// A command name with a `/` outside the system directories.
    UntrustedCommandPath = 63 => "UNTRUSTED_COMMAND_PATH",
    /// An environment assignment that changes how programs run (`PATH`, `LD_*`, …).
    DangerousEnvironment = 64 => "DANGEROUS_ENVIRONMENT",
    /// A redirect target or file operand refused by the filesystem guard.
    FileAccessDenied = 65 => "FILE_ACCESS_DENIED",

    // Commands: where the analysis has no complete model of what bash does
    /// An expansion whose result the analysis cannot model (a brace
    /// expansion too large to enumerate, `$"…"` translation, an array
    /// subscript evaluated from text, a parameter expansion operator that
    /// hides what it produces).
    UnmodelledExpansion = 70 => "UNMODELLED_EXPANSION",
    /// A builtin or variable that changes how the shell parses, expands or
    /// runs later commands (`alias`, `shopt`, `set -o`, `enable`, `hash`,
    /// `declare -n`, `BASH_CMDS`, a loop over `PATH`, …).
    ShellStateChange = 71 => "SHELL_STATE_CHANGE",
    /// A relative path, or a command that works on its directory, where the
    /// working directory is not known for certain (a `cd` that may fail, run
    /// conditionally, in a loop, or to a computed place).
    UnknownWorkingDirectory = 72 => "UNKNOWN_WORKING_DIRECTORY",
    /// A shell reads a script from a file or descriptor whose content the
    /// analysis has not seen (`sh < x.sh`, `source /dev/fd/3`, `bash <&3`).
    UnmodelledScriptInput = 73 => "UNMODELLED_SCRIPT_INPUT",
    /// A call that may run a shell function or bypass one (whitelist mode):
    /// the function is not defined on every path before the call, or a
    /// wrapper runs the program of that name instead.
    UnmodelledFunction = 74 => "UNMODELLED_FUNCTION",
    /// Text bash reads differently from the parser (a here-document ended
    /// by a line continuation, …).
    UnmodelledSyntax = 75 => "UNMODELLED_SYNTAX",
    /// A program whose arguments can make it run another program, and whose
    /// argument syntax the analysis does not model (ask; deny in whitelist mode).
    UnmodelledProgram = 76 => "UNMODELLED_PROGRAM",
    /// An option the analysis cannot read the way the program will: unknown,
    /// abbreviated, or computed at run time (ask; deny in whitelist mode).
    UnmodelledOption = 77 => "UNMODELLED_OPTION",
    /// A file operand whose value is not known before the command runs, or
    /// a file a tool touches that the analysis does not model (ask; deny in
    /// whitelist mode).
    UnmodelledOperand = 78 => "UNMODELLED_OPERAND",
}

impl fmt::Display for DecisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One decision of a guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub code: DecisionCode,
    /// Human-readable; names the offending part of the input.
    pub reason: String,
    /// The policy rule that decided (e.g. `filesystem.blocked_paths[0]: ~/.ssh`), if any.
    pub rule: Option<String>,
}

impl Decision {
    /// An allow decision with a reason.
    pub fn allow(reason: impl Into<String>, rule: Option<String>) -> Decision {
        Decision {
            verdict: Verdict::Allow,
            code: DecisionCode::Allowed,
            reason: reason.into(),
            rule,
        }
    }

    /// A deny decision.
    pub fn deny(code: DecisionCode, reason: impl Into<String>, rule: Option<String>) -> Decision {
        Decision {
            verdict: Verdict::Deny,
            code,
            reason: reason.into(),
            rule,
        }
    }

    /// An ask decision.
    pub fn ask(code: DecisionCode, reason: impl Into<String>, rule: Option<String>) -> Decision {
        Decision {
            verdict: Verdict::Ask,
            code,
            reason: reason.into(),
            rule,
        }
    }

    /// The seed's boolean: allowed means the verdict is `allow`.
    pub fn is_allowed(&self) -> bool {
        self.verdict == Verdict::Allow
    }

    /// Combine two decisions: the more severe wins (deny > ask > allow); on a
    /// tie the first is kept.
    pub fn combine(self, other: Decision) -> Decision {
        if other.verdict > self.verdict {
            other
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in DecisionCode::ALL {
            assert!(seen.insert(*code as u32), "duplicate number for {code}");
            assert_eq!(DecisionCode::from_u32(*code as u32), Some(*code));
            assert_eq!(DecisionCode::from_name(code.as_str()), Some(*code));
        }
        assert_eq!(DecisionCode::from_u32(9999), None);
    }

    #[test]
    fn combine_prefers_the_most_severe() {
        let a = Decision::allow("ok", None);
        let k = Decision::ask(DecisionCode::InlineCode, "inline", None);
        let d = Decision::deny(DecisionCode::BlockedCommand, "no", None);
        assert_eq!(a.clone().combine(k.clone()).verdict, Verdict::Ask);
        assert_eq!(k.clone().combine(d.clone()).verdict, Verdict::Deny);
        assert_eq!(d.clone().combine(a.clone()).verdict, Verdict::Deny);
        assert_eq!(a.clone().combine(a).verdict, Verdict::Allow);
    }
}
